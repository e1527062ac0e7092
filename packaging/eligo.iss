; Inno Setup script for Eligo on Windows (built by .github/workflows/release.yml):
;   iscc /DMyAppVersion=0.1.0 packaging\eligo.iss     after pyinstaller build.spec
; Per-machine install into Program Files with a Start-menu shortcut. The uninstaller removes
; only what it installed: the screening store lives in each user's application data folder
; (%APPDATA%\Eligo, with its backups) and is kept on uninstall, as clinical records must be.

#ifndef MyAppVersion
  #define MyAppVersion "0.0.0"
#endif

[Setup]
AppId={{5B8E0F1C-3D2A-4E7B-9C61-7A4D2B9E8F30}
AppName=Eligo
AppVersion={#MyAppVersion}
AppVerName=Eligo {#MyAppVersion}
AppPublisher=Eligo
DefaultDirName={autopf}\Eligo
DefaultGroupName=Eligo
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=Eligo-{#MyAppVersion}-windows-x64-setup
SetupIconFile=..\build\icons\eligo.ico
UninstallDisplayIcon={app}\Eligo.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\Eligo\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Eligo"; Filename: "{app}\Eligo.exe"
Name: "{autodesktop}\Eligo"; Filename: "{app}\Eligo.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Eligo.exe"; Description: "{cm:LaunchProgram,Eligo}"; Flags: nowait postinstall skipifsilent
