#!/usr/bin/env bash
# Packs the one-folder Linux build into dist/traject-<version>-linux-x86_64.tar.xz.
#
#   packaging/linux/build-archive.sh [--app DIR] [--icons DIR] [--out DIR] [VERSION]
#
#   --app DIR    the PyInstaller one-folder build (default dist/traject, from `make dist`)
#   --icons DIR  output of packaging/icons/render_icons.py (default build/icons; rendered
#                there first if traject-48.png or traject-256.png is missing)
#   --out DIR    where the archive goes (default dist)
#   VERSION      default: __version__ in app/__init__.py
#
# The archive holds one folder, traject-<version>/, with the app (traject/), traject.desktop,
# icons/traject-48.png and icons/traject-256.png, and install.sh (per user, or --system).
# Run from anywhere; relative paths are taken from the repository root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/packaging/linux"

usage() {
    sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

app="dist/traject"
icons="build/icons"
out="dist"
version=""
while (($#)); do
    case "$1" in
        --app) app="${2:?--app needs a folder}"; shift 2 ;;
        --icons) icons="${2:?--icons needs a folder}"; shift 2 ;;
        --out) out="${2:?--out needs a folder}"; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        -*) echo "build-archive.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        *) version="$1"; shift ;;
    esac
done

cd "$ROOT"
# shellcheck source=packaging/linux/common.sh
source "$HERE/common.sh"
version="$(traject_version "$version" build-archive.sh)"
require_app "$app" build-archive.sh
ensure_icons "$icons"

name="traject-$version"
archive="$out/$name-linux-x86_64.tar.xz"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT

top="$staging/$name"
mkdir -p "$top/icons"
cp -R "$app" "$top/traject"
install -m 644 "$HERE/traject.desktop" "$top/traject.desktop"
install -m 644 "$icons/traject-48.png" "$icons/traject-256.png" "$top/icons/"
sed "s|@VERSION@|$version|" "$HERE/install.sh" >"$top/install.sh"
chmod 755 "$top/install.sh"
chmod -R u+rwX,go+rX,go-w "$top"

# the same inputs give the same archive: sorted names, no owners, one timestamp, and xz in
# its multi-threaded mode with a fixed thread count (its output depends on the mode only)
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
mkdir -p "$out"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    -C "$staging" -cf - "$name" | xz -6 --threads=2 >"$archive.partial"
mv "$archive.partial" "$archive"

echo "$archive: $(du -h "$archive" | cut -f1), $(tar -tJf "$archive" | wc -l) entries"
(cd "$out" && sha256sum "$(basename "$archive")")
