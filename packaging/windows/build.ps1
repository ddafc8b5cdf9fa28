# Builds Scrutineer for Windows: the bundle (packaging\dist\Scrutineer), a smoke test of it,
# and the per-user installer (packaging\dist\Scrutineer-VERSION-setup.exe).
# Needs 64-bit Python 3.11 (python.org, "py" launcher) and Inno Setup 6. From the repository root:
#     powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Options: -Python "py -3.11" (how to start Python), -Iscc "C:\...\ISCC.exe", -SkipInstaller.
param(
    [string]$Python = "py -3.11",
    [string]$Iscc = "",
    [switch]$SkipInstaller
)
$ErrorActionPreference = "Stop"
$root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $root

function Invoke-Checked {
    # Runs a program and stops the build when it fails (PowerShell does not, by itself).
    param([string]$Program, [string[]]$Arguments)
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

# 1. A build environment of its own, with the app and the pinned packaging tools.
$venv = Join-Path $root "packaging\build\venv"
if (-not (Test-Path (Join-Path $venv "Scripts\python.exe"))) {
    $parts = @($Python -split " " | Where-Object { $_ })
    Invoke-Checked $parts[0] (@($parts | Select-Object -Skip 1) + @("-m", "venv", $venv))
}
$py = Join-Path $venv "Scripts\python.exe"
Invoke-Checked $py @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
Invoke-Checked $py @("-m", "pip", "install", "--quiet", "-e", ".")
Invoke-Checked $py @("-m", "pip", "install", "--quiet", "-r", "packaging\requirements.txt")
Invoke-Checked $py @("-m", "pip", "freeze", "--exclude-editable") > "packaging\build\versions.txt"

# 2. The bundle: one folder with Scrutineer.exe (windows) and scrutineer-cli.exe (console).
Remove-Item -Recurse -Force "packaging\dist" -ErrorAction SilentlyContinue
Invoke-Checked $py @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
    "--distpath", "packaging\dist", "--workpath", "packaging\build\pyinstaller",
    "packaging\scrutineer.spec")
$bundle = Join-Path $root "packaging\dist\Scrutineer"
$size = (Get-ChildItem -Recurse -File $bundle | Measure-Object -Property Length -Sum).Sum
Write-Host ("Built {0}: {1:N0} MB" -f $bundle, ($size / 1MB))

# 3. Smoke test: the console launcher, in a fresh folder, with no Python on PATH.
$cli = Join-Path $bundle "scrutineer-cli.exe"
$work = Join-Path ([System.IO.Path]::GetTempPath()) ("scrutineer-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory $work | Out-Null
$savedPath = $env:PATH
$env:PATH = "$env:SystemRoot\System32;$env:SystemRoot"
Push-Location $work
try {
    Invoke-Checked $cli @("--version")
    Invoke-Checked $cli @("sample", "sample.scrutiny")
    Invoke-Checked $cli @("check", "sample.scrutiny")
    Invoke-Checked $cli @("print", "sample.scrutiny", "-o", "appendix.pdf")
    Invoke-Checked $cli @("print", "sample.scrutiny", "-o", "appendix.docx")
    Invoke-Checked $cli @("export", "sample.scrutiny", "plan.xlsx")
    # The window, offscreen, must still be running after 5 seconds.
    $env:QT_QPA_PLATFORM = "offscreen"
    $window = Start-Process -FilePath $cli -PassThru -NoNewWindow `
        -ArgumentList @("--no-err-windows", "--settings", (Join-Path $work "settings"), "sample.scrutiny")
    Start-Sleep -Seconds 5
    if ($window.HasExited) { throw "The window stopped within 5 seconds (exit code $($window.ExitCode))." }
    Stop-Process -Id $window.Id
    Write-Host "Smoke test passed: $((Get-ChildItem $work -Name) -join ', ')"
}
finally {
    Remove-Item Env:\QT_QPA_PLATFORM -ErrorAction SilentlyContinue
    $env:PATH = $savedPath
    Pop-Location
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

# 4. The installer.
if ($SkipInstaller) { exit 0 }
if (-not $Iscc) {
    $Iscc = @(
        "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
        "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
        "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
    ) | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $Iscc) { throw "Inno Setup 6 (ISCC.exe) was not found; install it or pass -Iscc PATH." }
$version = & $py -c "from desktop import __version__; print(__version__)"
Invoke-Checked $Iscc @("/Qp", "/DAppVersion=$version", "packaging\windows\scrutineer.iss")
Write-Host "Installer: packaging\dist\Scrutineer-$version-setup.exe"
