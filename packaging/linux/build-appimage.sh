#!/usr/bin/env bash
# Builds dist/Traject-<version>-x86_64.AppImage from the one-folder Linux build.
#
#   packaging/linux/build-appimage.sh [--app DIR] [--icons DIR] [--out DIR] [--appdir DIR]
#                                     [VERSION]
#
#   --app DIR    the PyInstaller one-folder build (default dist/traject, from `make dist`)
#   --icons DIR  output of packaging/icons/render_icons.py (default build/icons; rendered
#                there first if traject-48.png or traject-256.png is missing)
#   --out DIR    where the AppImage goes (default dist)
#   --appdir DIR where the AppDir is assembled (default build/Traject.AppDir; emptied first)
#   VERSION      default: __version__ in app/__init__.py
#
# Assembles the AppDir (AppRun, traject.desktop, the icon, the app under
# usr/lib/traject), then packs it with appimagetool: the one on PATH, or the one that
# APPIMAGETOOL names. Without appimagetool the AppDir is still assembled, the script says
# where to get the tool, and it exits with status 3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/packaging/linux"

usage() {
    sed -n '2,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

app="dist/traject"
icons="build/icons"
out="dist"
appdir="build/Traject.AppDir"
version=""
given="$*"
while (($#)); do
    case "$1" in
        --app) app="${2:?--app needs a folder}"; shift 2 ;;
        --icons) icons="${2:?--icons needs a folder}"; shift 2 ;;
        --out) out="${2:?--out needs a folder}"; shift 2 ;;
        --appdir) appdir="${2:?--appdir needs a folder}"; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        -*) echo "build-appimage.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        *) version="$1"; shift ;;
    esac
done

cd "$ROOT"
# shellcheck source=packaging/linux/common.sh
source "$HERE/common.sh"
version="$(traject_version "$version" build-appimage.sh)"
require_app "$app" build-appimage.sh
ensure_icons "$icons"

rm -rf "$appdir"
mkdir -p "$appdir/usr/lib" "$appdir/usr/share/applications"
cp -R "$app" "$appdir/usr/lib/traject"

cat >"$appdir/AppRun" <<'EOF'
#!/bin/sh
# AppImage entry point: start the one-folder app inside the mounted image.
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/usr/lib/traject/traject" "$@"
EOF
chmod 755 "$appdir/AppRun"

install -m 644 "$HERE/traject.desktop" "$appdir/traject.desktop"
install -m 644 "$HERE/traject.desktop" "$appdir/usr/share/applications/traject.desktop"
install -m 644 "$icons/traject-256.png" "$appdir/traject.png"
ln -s traject.png "$appdir/.DirIcon"
for size in 48 256; do
    mkdir -p "$appdir/usr/share/icons/hicolor/${size}x${size}/apps"
    install -m 644 "$icons/traject-$size.png" \
        "$appdir/usr/share/icons/hicolor/${size}x${size}/apps/traject.png"
done
echo "AppDir assembled in $appdir"

tool="${APPIMAGETOOL:-$(command -v appimagetool || true)}"
if [[ -z "$tool" || ! -x "$tool" ]]; then
    cat >&2 <<EOF
build-appimage.sh: appimagetool was not found, so no AppImage was made (the AppDir is ready).
  Get it from https://github.com/AppImage/appimagetool/releases (appimagetool-x86_64.AppImage),
  make it executable (chmod +x) and either put it on PATH as 'appimagetool' or run
      APPIMAGETOOL=/path/to/appimagetool-x86_64.AppImage $0 $given
  In a container without FUSE, also set APPIMAGE_EXTRACT_AND_RUN=1.
EOF
    exit 3
fi

mkdir -p "$out"
image="$out/Traject-$version-x86_64.AppImage"
ARCH=x86_64 "$tool" --no-appstream "$appdir" "$image"
echo "$image: $(du -h "$image" | cut -f1)"
(cd "$out" && sha256sum "$(basename "$image")")
