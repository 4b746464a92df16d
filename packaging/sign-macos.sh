#!/bin/sh
# Sign and notarise the macOS build (NOT RUN HERE: needs macOS, Xcode's command-line tools, a
# "Developer ID Application" certificate in the keychain and an App Store Connect API key or an
# app-specific password stored with `xcrun notarytool store-credentials decomp-desk`).
#
#   sh packaging/sign-macos.sh "Developer ID Application: Example Clinic Software (TEAMID)"
#
# Signs every library and the bundle with the hardened runtime, zips it, has Apple notarise the zip,
# and staples the ticket to the .app, so Gatekeeper opens it without a warning, also offline.
set -eu
identity=$1
app=dist/DecompDesk.app
[ -d "$app" ] || { echo "$app is missing: build first (python packaging/build.py)." >&2; exit 1; }
entitlements=$(dirname "$0")/macos-entitlements.plist
find "$app/Contents" -type f \( -name '*.so' -o -name '*.dylib' \) -exec \
  codesign --force --timestamp --options runtime --sign "$identity" {} \;
codesign --force --timestamp --options runtime --entitlements "$entitlements" --sign "$identity" "$app"
codesign --verify --deep --strict --verbose=2 "$app"
ditto -c -k --keepParent "$app" dist/DecompDesk.zip
xcrun notarytool submit dist/DecompDesk.zip --keychain-profile decomp-desk --wait
xcrun stapler staple "$app"
spctl --assess --type execute --verbose "$app"
echo "Signed, notarised and stapled: $app"
