"""Passwords: argon2id hashes (memory-hard), never kept or logged in clear."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from mediatheque.errors import InvalidPassword

MIN_LENGTH = 8
MAX_LENGTH = 1000  # beyond this a "password" is an accident or an attack on the CPU

# argon2-cffi's defaults (RFC 9106 low-memory profile: 64 MiB, 3 passes). Tests swap in a
# cheaper hasher; hashes say which parameters made them, so verification never depends on it.
HASHER = PasswordHasher()


def check_password_policy(password: str) -> None:
    """Raises InvalidPassword when a new password is too short or too long."""
    if len(password) < MIN_LENGTH:
        raise InvalidPassword("too_short", MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise InvalidPassword("too_long", MAX_LENGTH)


def hash_password(password: str) -> str:
    check_password_policy(password)
    return HASHER.hash(password)


def rehash(password: str) -> str:
    """A fresh hash of a password that was just verified (parameters have grown since)."""
    return HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


_DUMMY: list[str] = []


def waste_a_verification(password: str) -> None:
    """Spends the time of a real verification, so an unknown login answers as slowly as a
    known one (the answer time does not tell whether the login exists)."""
    if not _DUMMY:
        _DUMMY.append(HASHER.hash("not a real password"))
    verify_password(_DUMMY[0], password[:MAX_LENGTH])
