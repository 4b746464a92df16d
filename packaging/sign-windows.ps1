# Sign the Windows build (NOT RUN HERE: needs Windows, the Windows SDK's signtool and the clinic
# vendor's code-signing certificate). Run after `python packaging/build.py` on Windows:
#
#   powershell -File packaging\sign-windows.ps1 -Folder dist\DecompDesk -Thumbprint <certificate thumbprint>
#
# An EV or OV certificate in the user's certificate store (or on its hardware token) is chosen by its
# thumbprint; every .exe and .dll of ours is signed with SHA-256 and a timestamp, so the signature stays
# valid after the certificate expires. Qt's and Python's own DLLs are already signed by their makers.
param(
  [Parameter(Mandatory = $true)][string]$Folder,
  [Parameter(Mandatory = $true)][string]$Thumbprint,
  [string]$Timestamp = "http://timestamp.digicert.com"
)
$ErrorActionPreference = "Stop"
$files = @("$Folder\DecompDesk.exe", "$Folder\decomp-desk.exe")
foreach ($f in $files) {
  if (-not (Test-Path $f)) { throw "$f is missing: build first (python packaging/build.py)." }
  & signtool sign /sha1 $Thumbprint /fd SHA256 /tr $Timestamp /td SHA256 /d "DecompDesk" $f
  if ($LASTEXITCODE -ne 0) { throw "signtool could not sign $f." }
  & signtool verify /pa /v $f | Out-Null
  if ($LASTEXITCODE -ne 0) { throw "The signature of $f does not verify." }
}
Write-Host "Signed and verified: $($files -join ', ')"
