; Médiathèque — Windows installer (Inno Setup 6).
;
; Packs the frozen application built by PyInstaller (dist\mediatheque\, `make bundle`) into
; one setup program that installs for the current user, without administrator rights.
; Build it from the top of the checkout, passing the version of the package:
;   iscc /DAppVersion=0.1.0 installer\mediatheque.iss
; The result is dist\installer\mediatheque-<version>-setup.exe.
;
; The user's data (the SQLite database, backups: %LOCALAPPDATA%\AllianceFrancaise\Mediatheque,
; platformdirs' user_data_dir of mediatheque.paths) and the desk preferences
; (%APPDATA%\AllianceFrancaise\Mediatheque.ini, QSettings) belong to the application, not to
; the installer: an upgrade never touches them, and the uninstaller deletes them only when
; the user says so.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z installer\mediatheque.iss
#endif

#define Root AddBackslash(SourcePath) + "..\"
#define Bundle Root + "dist\mediatheque\"
#define GuideDir "_internal\mediatheque\resources\guide\"

#ifnexist Bundle + "mediatheque.exe"
  #error dist\mediatheque\mediatheque.exe is missing: build the bundle first (make bundle)
#endif

[Setup]
; The AppId identifies the application across versions: never change it, or upgrades
; would install a second copy beside the first.
AppId={{0E579C73-F5C2-473B-B558-05737745224B}
AppName=Médiathèque
AppVersion={#AppVersion}
AppVerName=Médiathèque {#AppVersion}
AppPublisher=Alliance Française
VersionInfoVersion={#AppVersion}
VersionInfoProductName=Médiathèque
; Per user, no UAC prompt: {autopf} is then {userpf} (%LOCALAPPDATA%\Programs).
PrivilegesRequired=lowest
DefaultDirName={autopf}\Médiathèque
DefaultGroupName=Médiathèque
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir={#Root}
OutputDir=dist\installer
OutputBaseFilename=mediatheque-{#AppVersion}-setup
SetupIconFile=resources\icons\mediatheque.ico
UninstallDisplayIcon={app}\mediatheque.exe
UninstallDisplayName=Médiathèque
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
; Setup opens on a choice of language, the user's own (Windows' display language) preselected.
ShowLanguageDialog=yes

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
french.DeleteDataQuestion=Supprimer aussi vos données ?%n%nLe dossier %1 contient la base de données de la médiathèque (catalogue, lecteurs, prêts) et ses sauvegardes. Répondez « Non » pour les garder : une nouvelle installation les retrouvera.%n%nLa suppression est définitive.
russian.DeleteDataQuestion=Удалить также ваши данные?%n%nПапка %1 содержит базу данных медиатеки (каталог, читатели, выдачи) и её резервные копии. Ответьте «Нет», чтобы сохранить их: после новой установки они снова будут доступны.%n%nУдаление необратимо.
english.DeleteDataQuestion=Also delete your data?%n%nThe folder %1 holds the library's database (catalogue, members, loans) and its backups. Answer "No" to keep them: a new installation will find them again.%n%nDeletion is permanent.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: no library of the previous version is left behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "dist\mediatheque\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; In the Start menu, a Médiathèque folder: the application and the user guides.
Name: "{group}\Médiathèque"; Filename: "{app}\mediatheque.exe"
Name: "{autodesktop}\Médiathèque"; Filename: "{app}\mediatheque.exe"; Tasks: desktopicon
#ifexist Bundle + GuideDir + "guide-fr.pdf"
Name: "{group}\Guide de l'utilisateur (français)"; Filename: "{app}\{#GuideDir}guide-fr.pdf"
#endif
#ifexist Bundle + GuideDir + "guide-ru.pdf"
Name: "{group}\Руководство пользователя (русский)"; Filename: "{app}\{#GuideDir}guide-ru.pdf"
#endif

[Run]
Filename: "{app}\mediatheque.exe"; Description: "{cm:LaunchProgram,Médiathèque}"; Flags: nowait postinstall skipifsilent

[Code]
var
  DeleteData: Boolean;

function DataDir: String;
begin
  { platformdirs.user_data_dir("Mediatheque", "AllianceFrancaise", roaming=False) }
  Result := ExpandConstant('{localappdata}\AllianceFrancaise\Mediatheque');
end;

function PreferencesFile: String;
begin
  { QSettings(IniFormat, UserScope, "AllianceFrancaise", "Mediatheque") }
  Result := ExpandConstant('{userappdata}\AllianceFrancaise\Mediatheque.ini');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  case CurUninstallStep of
    usUninstall:
      { Asked once, before anything is removed; "No" is the default, and a silent
        uninstall always keeps the data. }
      if (not UninstallSilent) and DirExists(DataDir) then
        DeleteData := MsgBox(FmtMessage(CustomMessage('DeleteDataQuestion'), [DataDir]),
                             mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
    usPostUninstall:
      if DeleteData then
      begin
        DelTree(DataDir, True, True, True);
        DeleteFile(PreferencesFile);
        RemoveDir(ExpandConstant('{localappdata}\AllianceFrancaise'));
        RemoveDir(ExpandConstant('{userappdata}\AllianceFrancaise'));
      end;
  end;
end;
