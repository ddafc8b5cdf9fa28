; Inno Setup 6 script: a per-user installer for the Windows bundle, needing no admin rights.
; build.ps1 (beside this file) compiles it after PyInstaller; by hand, from this folder:
;     ISCC.exe /DAppVersion=0.1.0 scrutineer.iss
; It installs packaging\dist\Scrutineer into %LOCALAPPDATA%\Programs\Scrutineer, adds a Start
; menu entry and opens .scrutiny files with Scrutineer, all under HKEY_CURRENT_USER.
; IT can still install for every user of a machine, as administrator: Setup.exe /ALLUSERS.

#ifndef AppVersion
  #error Pass the version: ISCC.exe /DAppVersion=0.1.0 scrutineer.iss
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\Scrutineer"
#endif

[Setup]
; The AppId ties upgrades and the uninstaller to this application: never change it.
AppId={{F6F77A6E-AA50-4E2A-9D2A-F97DE152D595}
AppName=Scrutineer
AppVersion={#AppVersion}
AppVerName=Scrutineer {#AppVersion}
AppPublisher=Scrutineer
VersionInfoVersion={#AppVersion}
; With PrivilegesRequired=lowest, {autopf} is %LOCALAPPDATA%\Programs and HKA is HKCU.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\Scrutineer
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=Scrutineer-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
; Upgrading while Scrutineer is open: ask to close it (edits are already saved: each is a commit).
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\Scrutineer.exe
UninstallDisplayName=Scrutineer

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle, so no library of an older version lingers beside it.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Scrutineer"; Filename: "{app}\Scrutineer.exe"; Comment: "Monitor the Police and Crime Plan"
Name: "{autodesktop}\Scrutineer"; Filename: "{app}\Scrutineer.exe"; Tasks: desktopicon

[Registry]
; .scrutiny files open in Scrutineer (a ProgID of our own; Explorer shows "Scrutineer plan").
Root: HKA; Subkey: "Software\Classes\.scrutiny"; ValueType: string; ValueName: ""; ValueData: "Scrutineer.Plan"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.scrutiny\OpenWithProgids"; ValueType: string; ValueName: "Scrutineer.Plan"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Scrutineer.Plan"; ValueType: string; ValueName: ""; ValueData: "Scrutineer plan"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Scrutineer.Plan\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\Scrutineer.exe,0"
Root: HKA; Subkey: "Software\Classes\Scrutineer.Plan\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\Scrutineer.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\Scrutineer.exe\SupportedTypes"; ValueType: string; ValueName: ".scrutiny"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\Scrutineer.exe"; Description: "{cm:LaunchProgram,Scrutineer}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes what it installed and the keys above. It leaves the user's plans and
; their settings (%APPDATA%\Scrutineer\Scrutineer.ini), which are theirs.
