<#
.SYNOPSIS
    Builds Traject's Windows artefacts: the wheel, the one-folder app and the MSI installer.

.DESCRIPTION
    Run from the repository root on a clean clone, on 64-bit Windows with Python 3.11 or newer
    and the WiX Toolset v5 .NET tool (dotnet tool install --global wix --version 5.0.2):

        powershell -ExecutionPolicy Bypass -File packaging\windows\build-installer.ps1

    1. a virtual environment in build\windows-venv to run packaging\build.py with;
    2. the wheel, the icons and the one-folder app dist\traject\traject.exe, built by
       packaging\build.py exactly as `make dist` builds them on Linux and macOS;
    3. Authenticode signatures on every .exe, .dll and .pyd in dist\traject that its maker
       has not signed (when a certificate is configured, see below), before they are packed
       into the MSI;
    4. dist\Traject-<version>-x64.msi with `wix build` from packaging\windows\traject.wxs;
    5. a signature on the MSI itself.

    Signing is configured with environment variables (CI secrets); without them the script
    builds everything unsigned and says so:

        TRAJECT_SIGN_CERT_SHA1   thumbprint of a code-signing certificate in the certificate
                                 store (CurrentUser\My; set TRAJECT_SIGN_MACHINE_STORE=1 for
                                 LocalMachine\My), e.g. on a hardware token or a cloud HSM
        TRAJECT_SIGN_PFX         or: path of a .pfx file ...
        TRAJECT_SIGN_PASSWORD    ... and its password
        TRAJECT_TIMESTAMP_URL    RFC 3161 timestamp server (default http://timestamp.digicert.com)

    Any failing step stops the script with a non-zero exit code.
#>

[CmdletBinding()]
param()

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
Set-Location $Root

$Venv = Join-Path $Root 'build\windows-venv'
$Dist = Join-Path $Root 'dist'
$App = Join-Path $Dist 'traject'
$Icons = Join-Path $Root 'build\icons'
$Wxs = Join-Path $Root 'packaging\windows\traject.wxs'
$DefaultTimestampUrl = 'http://timestamp.digicert.com'

function Invoke-Native {
    <# Runs a program, echoing the command; throws when it exits non-zero. #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $Arguments = @()
    )
    Write-Host "+ $FilePath $($Arguments -join ' ')"
    & $FilePath @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath' failed with exit code $LASTEXITCODE"
    }
}

function Get-TrajectVersion {
    <# __version__ from app\__init__.py, the single place the version is written. #>
    $text = Get-Content -Raw -Encoding UTF8 (Join-Path $Root 'app\__init__.py')
    $match = [regex]::Match($text, '(?m)^__version__\s*=\s*[''"]([^''"]+)[''"]')
    if (-not $match.Success) { throw 'No __version__ in app\__init__.py' }
    return $match.Groups[1].Value
}

function ConvertTo-MsiVersion {
    <# Windows Installer versions are numeric: major.minor.build (<= 255.255.65535).
       A pre-release suffix (1.2.0rc1) cannot be expressed; it installs as 1.2.0. #>
    param([Parameter(Mandatory)] [string] $Version)
    $match = [regex]::Match($Version, '^(\d+)\.(\d+)(?:\.(\d+))?')
    if (-not $match.Success) { throw "Cannot make an MSI version of '$Version'" }
    $major = [int]$match.Groups[1].Value
    $minor = [int]$match.Groups[2].Value
    $build = if ($match.Groups[3].Success) { [int]$match.Groups[3].Value } else { 0 }
    if ($major -gt 255 -or $minor -gt 255 -or $build -gt 65535) {
        throw "Version '$Version' is out of the range Windows Installer accepts"
    }
    $msiVersion = "$major.$minor.$build"
    if ($msiVersion -ne $Version) {
        Write-Warning "Version '$Version' is installed as MSI version $msiVersion"
    }
    return $msiVersion
}

function Find-Python {
    <# $env:PYTHON, else python on PATH (actions/setup-python), else the py launcher. #>
    $candidates = @()
    if ($env:PYTHON) { $candidates += , @($env:PYTHON) }
    if (Get-Command python -ErrorAction SilentlyContinue) { $candidates += , @('python') }
    if (Get-Command py -ErrorAction SilentlyContinue) { $candidates += , @('py', '-3') }
    foreach ($candidate in $candidates) {
        $exe = $candidate[0]
        $prefix = @($candidate | Select-Object -Skip 1)
        try {
            & $exe @prefix -c 'import sys; sys.exit(sys.version_info < (3, 11))'
            if ($LASTEXITCODE -eq 0) { return , $candidate }
        }
        catch {
            continue  # e.g. the Microsoft Store placeholder for python.exe
        }
    }
    throw 'Traject needs Python 3.11 or newer: none found (set PYTHON to its python.exe)'
}

function Find-SignTool {
    $command = Get-Command signtool.exe -ErrorAction SilentlyContinue
    if ($command) { return $command.Source }
    $kits = Join-Path ${env:ProgramFiles(x86)} 'Windows Kits\10\bin'
    $found = Get-ChildItem -Path $kits -Filter signtool.exe -Recurse -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -eq 'x64' } |
        Sort-Object { try { [version]$_.Directory.Parent.Name } catch { [version]'0.0' } } -Descending |
        Select-Object -First 1
    if (-not $found) {
        throw 'signtool.exe not found: install the Windows SDK (Signing Tools) or put signtool on PATH'
    }
    return $found.FullName
}

function Get-SigningArguments {
    <# signtool arguments naming the certificate, or $null when signing is not configured. #>
    if ($env:TRAJECT_SIGN_CERT_SHA1) {
        $arguments = @('/sha1', $env:TRAJECT_SIGN_CERT_SHA1)
        if ($env:TRAJECT_SIGN_MACHINE_STORE -eq '1') { $arguments += '/sm' }
        return , $arguments
    }
    if ($env:TRAJECT_SIGN_PFX) {
        if (-not (Test-Path $env:TRAJECT_SIGN_PFX)) {
            throw "TRAJECT_SIGN_PFX names a file that does not exist: $env:TRAJECT_SIGN_PFX"
        }
        if (-not $env:TRAJECT_SIGN_PASSWORD) {
            throw 'TRAJECT_SIGN_PFX is set but TRAJECT_SIGN_PASSWORD is not'
        }
        return , @('/f', $env:TRAJECT_SIGN_PFX, '/p', $env:TRAJECT_SIGN_PASSWORD)
    }
    return $null
}

function Invoke-Sign {
    <# Signs (SHA-256, RFC 3161 timestamp) and then verifies files, a batch at a time so that
       the command line stays short. The password never reaches the log. #>
    param(
        [Parameter(Mandatory)] [string] $SignTool,
        [Parameter(Mandatory)] [string[]] $Certificate,
        [Parameter(Mandatory)] [string] $Description,
        [Parameter(Mandatory)] [string[]] $Files
    )
    $timestampUrl = if ($env:TRAJECT_TIMESTAMP_URL) { $env:TRAJECT_TIMESTAMP_URL } else { $DefaultTimestampUrl }
    $batchSize = 40
    for ($i = 0; $i -lt $Files.Count; $i += $batchSize) {
        $batch = @($Files[$i..([Math]::Min($i + $batchSize, $Files.Count) - 1)])
        Write-Host "+ signtool sign /fd SHA256 /td SHA256 /tr $timestampUrl ($($batch.Count) files)"
        & $SignTool sign /fd SHA256 /td SHA256 /tr $timestampUrl /d $Description @Certificate @batch
        if ($LASTEXITCODE -ne 0) { throw "signtool sign failed with exit code $LASTEXITCODE" }
        & $SignTool verify /pa /q @batch
        if ($LASTEXITCODE -ne 0) { throw "signtool verify failed with exit code $LASTEXITCODE" }
    }
}

function Find-Wix {
    $command = Get-Command wix -ErrorAction SilentlyContinue
    $wix = if ($command) { $command.Source } else { Join-Path $env:USERPROFILE '.dotnet\tools\wix.exe' }
    if (-not (Test-Path $wix)) {
        throw 'WiX Toolset v5 not found. Install it with: dotnet tool install --global wix --version 5.0.2'
    }
    $version = (& $wix --version | Out-String).Trim()
    if ($LASTEXITCODE -ne 0) { throw "'$wix --version' failed with exit code $LASTEXITCODE" }
    if (-not $version.StartsWith('5.')) {
        throw "traject.wxs is written for WiX Toolset v5; found $version"
    }
    return $wix
}

# --- 1. build environment ----------------------------------------------------------------
$version = Get-TrajectVersion
$msiVersion = ConvertTo-MsiVersion $version
Write-Host "Traject $version (MSI version $msiVersion)"

$python = Find-Python
$pythonExe = $python[0]
$pythonPrefix = @($python | Select-Object -Skip 1)
if (-not (Test-Path (Join-Path $Venv 'Scripts\python.exe'))) {
    Invoke-Native $pythonExe ($pythonPrefix + @('-m', 'venv', $Venv))
}
$venvPython = Join-Path $Venv 'Scripts\python.exe'
# build.py needs only pip: it installs the wheel and PyInstaller (the wheel's freeze extra)
# into a clean environment of its own
Invoke-Native $venvPython @('-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--upgrade', 'pip')

# --- 2. wheel, icons, one-folder app -----------------------------------------------------
if (Test-Path $App) { Remove-Item -Recurse -Force $App }
# the same steps as `make dist`: wheel, clean freeze environment, icons, PyInstaller
Invoke-Native $venvPython @((Join-Path $Root 'packaging\build.py'), '--dist', $Dist, '--work', (Join-Path $Root 'build'))
$exe = Join-Path $App 'traject.exe'
$ico = Join-Path $Icons 'traject.ico'
foreach ($expected in $exe, $ico) {
    if (-not (Test-Path $expected)) { throw "The build did not produce $expected" }
}

# --- 3. sign what goes into the installer ------------------------------------------------
$certificate = Get-SigningArguments
$signTool = $null
if ($certificate) {
    $signTool = Find-SignTool
    # what its maker already signed (python311.dll, the Qt and VC runtime DLLs) keeps that
    # signature; everything else, Traject's own executables first, gets ours
    $binaries = @(Get-ChildItem -Path $App -Recurse -File |
        Where-Object { $_.Extension -in '.exe', '.dll', '.pyd' } |
        Where-Object { (Get-AuthenticodeSignature -FilePath $_.FullName).Status -ne 'Valid' } |
        ForEach-Object { $_.FullName })
    Write-Host "Signing $($binaries.Count) files in $App (files already signed by their makers keep their signature)"
    Invoke-Sign -SignTool $signTool -Certificate $certificate -Description 'Traject' -Files $binaries
}
else {
    Write-Warning ('No signing certificate configured (TRAJECT_SIGN_CERT_SHA1, or TRAJECT_SIGN_PFX ' +
        'with TRAJECT_SIGN_PASSWORD): building an UNSIGNED installer, for testing only.')
}

# --- 4. the MSI --------------------------------------------------------------------------
$wix = Find-Wix
$msi = Join-Path $Dist "Traject-$version-x64.msi"
if (Test-Path $msi) { Remove-Item -Force $msi }
Invoke-Native $wix @('build', $Wxs, '-nologo', '-arch', 'x64', '-pdbtype', 'none',
    '-d', "Version=$msiVersion", '-d', "SourceDir=$App", '-d', "IconFile=$ico", '-o', $msi)

# --- 5. sign the MSI ---------------------------------------------------------------------
if ($certificate) {
    Invoke-Sign -SignTool $signTool -Certificate $certificate -Description "Traject $version" -Files @($msi)
}

$hash = (Get-FileHash -Algorithm SHA256 $msi).Hash.ToLowerInvariant()
$state = if ($certificate) { 'signed' } else { 'UNSIGNED' }
Write-Host "Built $msi ($state)"
Write-Host "SHA256 $hash"
