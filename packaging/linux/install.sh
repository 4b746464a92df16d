#!/bin/sh
# Put DecompDesk in this user's desktop menu: run it from the unpacked build folder
# (./install-linux.sh), or with --uninstall to take it out again. Nothing outside the user's
# ~/.local/share (or $XDG_DATA_HOME) is touched, so no administrator rights are needed.
#
#   the program   ~/.local/share/decomp-desk/app/        (a copy of this folder)
#   the menu      ~/.local/share/applications/decomp-desk.desktop
#   the icon      ~/.local/share/icons/hicolor/{16..512}/apps/decomp-desk.png and scalable/apps/decomp-desk.svg
#   software centres: ~/.local/share/metainfo/io.github.decompdesk.DecompDesk.metainfo.xml
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
app="$data/decomp-desk/app"
resources="$app/_internal/decomp_desk/resources"
sizes="16 24 32 48 64 128 256 512"

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$data/decomp-desk/app"
  rm -f "$data/applications/decomp-desk.desktop" "$data/metainfo/io.github.decompdesk.DecompDesk.metainfo.xml"
  rm -f "$data/icons/hicolor/scalable/apps/decomp-desk.svg"
  for s in $sizes; do rm -f "$data/icons/hicolor/${s}x${s}/apps/decomp-desk.png"; done
  refresh
  echo "DecompDesk was removed from the menu. The clinic's data (~/.local/share/DecompDesk) was left alone."
  exit 0
fi

if [ "$here" != "$app" ]; then
  mkdir -p "$data/decomp-desk"
  rm -rf "$app.new"
  cp -a "$here" "$app.new"
  rm -rf "$app"
  mv "$app.new" "$app"
fi

mkdir -p "$data/applications" "$data/metainfo" "$data/icons/hicolor/scalable/apps"
for s in $sizes; do
  mkdir -p "$data/icons/hicolor/${s}x${s}/apps"
  cp "$resources/icons/decomp-desk-$s.png" "$data/icons/hicolor/${s}x${s}/apps/decomp-desk.png"
done
cp "$resources/icons/decomp-desk.svg" "$data/icons/hicolor/scalable/apps/decomp-desk.svg"
cp "$resources/io.github.decompdesk.DecompDesk.metainfo.xml" "$data/metainfo/"
# The desktop entry as shipped starts `decomp-desk-gui` from PATH (a pip install); here, this build.
sed -e "s|^Exec=.*|Exec=\"$app/decomp-desk\"|" -e "s|^TryExec=.*|TryExec=$app/decomp-desk|" \
  "$resources/decomp-desk.desktop" > "$data/applications/decomp-desk.desktop"
chmod 0644 "$data/applications/decomp-desk.desktop"
refresh
echo "DecompDesk is in the desktop menu (Office). The program is in $app;"
echo "for the command line, add it to PATH or run $app/decomp-desk --help."
