#!/usr/bin/env bash
# Proves that Médiathèque works once packaged, not only from the checkout:
#   1. builds the wheel, installs it into a fresh virtual environment (in a temporary
#      directory, away from the checkout) and runs `mediatheque --self-test` there;
#   2. builds the frozen bundle (build_installer.spec → dist/mediatheque/) and runs its
#      `--self-test`, from another directory as well.
# Both self-tests run offscreen. Exits non-zero on the first failure; prints the timings.
# Usage: tools/check_packaging.sh   (PYTHON=… to use another interpreter than .venv's)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [[ -z ${PYTHON:-} ]]; then
  if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=.venv/Scripts/python; fi
fi
export QT_QPA_PLATFORM=offscreen

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mediatheque-packaging.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export MEDIATHEQUE_DATA_DIR="$scratch/data"  # never the user's data

timings=()
step_start=0
start() { echo "== $1"; step_name=$1; step_start=$SECONDS; }
done_step() { timings+=("$(printf '%-34s %4ds' "$step_name" $((SECONDS - step_start)))"); }
fail() { echo "FAILED: $*" >&2; exit 1; }

# pip's output only when it fails
quietly() { "$@" >"$scratch/pip.log" 2>&1 || { tail -n 30 "$scratch/pip.log"; return 1; }; }
bin_dir() { if [[ -d $1/bin ]]; then echo "$1/bin"; else echo "$1/Scripts"; fi; }

# --- the wheel ------------------------------------------------------------------------
start "wheel: build"
"$PYTHON" -m build --version >/dev/null 2>&1 || quietly "$PYTHON" -m pip install build
"$PYTHON" -m build --wheel --outdir "$scratch/wheel" . >"$scratch/build.log" 2>&1 ||
  { tail -n 30 "$scratch/build.log"; fail "python -m build --wheel"; }
wheel=$(ls "$scratch"/wheel/mediatheque-*.whl)
echo "   $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"
contents=$("$PYTHON" -m zipfile -l "$wheel")
for required in mediatheque/resources/fonts/DejaVuSans.ttf \
                mediatheque/resources/fonts/LICENSE-DejaVu.txt \
                mediatheque/translations/fr.po mediatheque/migrations/env.py \
                $(cd resources && for pdf in guide/*.pdf; do [[ -e $pdf ]] && echo "mediatheque/resources/$pdf"; done); do
  grep -q "$required" <<<"$contents" || fail "the wheel lacks $required"
done
done_step

start "wheel: install in a fresh venv"
"$PYTHON" -m venv "$scratch/venv"
venv_bin=$(bin_dir "$scratch/venv")
quietly "$venv_bin/python" -m pip install "$wheel" || fail "pip install $(basename "$wheel")"
done_step

start "wheel: --self-test"
(cd "$scratch" && "$venv_bin/mediatheque" --self-test) || fail "the installed wheel's --self-test"
done_step

# --- the frozen bundle ----------------------------------------------------------------
start "bundle: PyInstaller"
"$PYTHON" -m PyInstaller --version >/dev/null 2>&1 || quietly "$PYTHON" -m pip install -e '.[build]'
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN build_installer.spec \
  >"$scratch/pyinstaller.log" 2>&1 ||
  { tail -n 30 "$scratch/pyinstaller.log"; fail "PyInstaller"; }
bundle=$root/dist/mediatheque
frozen=$bundle/mediatheque
[[ -x $frozen ]] || frozen=$bundle/mediatheque.exe
internal=$bundle/_internal
[[ -z $(find "$internal" -maxdepth 1 -iname 'zxing*') ]] || fail "zxing-cpp (test only) is bundled"
for pdf in resources/guide/*.pdf; do
  [[ -e $pdf ]] || continue
  [[ -f $internal/mediatheque/$pdf ]] || fail "the bundle lacks $pdf"
done
echo "   dist/mediatheque: $(du -sh "$bundle" | cut -f1), $(find "$bundle" -type f | wc -l) files"
done_step

start "bundle: --self-test"
(cd "$scratch" && "$frozen" --self-test) || fail "the frozen bundle's --self-test"
done_step

echo "== timings"
printf '   %s\n' "${timings[@]}"
echo "   total                              $((SECONDS))s"
