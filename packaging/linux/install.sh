#!/usr/bin/env bash
# Installs Traject from the unpacked archive this script sits in.
#
#   ./install.sh               for you alone: ~/.local/opt/traject-<version>, the command
#                              ~/.local/bin/traject, the menu entry and icons in ~/.local/share
#   sudo ./install.sh --system for everyone: /opt/traject-<version>, /usr/local/bin/traject,
#                              the menu entry and icons in /usr/local/share
#   ./install.sh --uninstall   removes what ./install.sh installed (add --system likewise)
#
# Traject keeps caseloads, settings and backups in each user's own folders
# (~/.local/share/Traject, ~/.config/Traject, ~/.local/state/Traject): this script never
# touches them, not even with --uninstall.
set -euo pipefail

VERSION="@VERSION@"  # filled in by packaging/linux/build-archive.sh
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
    sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

system=0
uninstall=0
for arg in "$@"; do
    case "$arg" in
        --system) system=1 ;;
        --uninstall) uninstall=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
    esac
done

if ((system)); then
    if ((EUID != 0)); then
        echo "install.sh: --system writes to /opt and /usr/local: run it with sudo" >&2
        exit 1
    fi
    opt_base=/opt
    bin_dir=/usr/local/bin
    share_dir=/usr/local/share
else
    opt_base="$HOME/.local/opt"
    bin_dir="$HOME/.local/bin"
    share_dir="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
target="$opt_base/traject-$VERSION"
launcher="$bin_dir/traject"
desktop_file="$share_dir/applications/traject.desktop"
icon_sizes=(48 256)

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$share_dir/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 \
        && [[ -f "$share_dir/icons/hicolor/index.theme" ]]; then
        gtk-update-icon-cache -q -t "$share_dir/icons/hicolor" || true
    fi
    touch "$share_dir/icons/hicolor" 2>/dev/null || true
}

if ((uninstall)); then
    # only a launcher that points into one of our install folders is ours to remove
    if [[ -L "$launcher" && "$(readlink "$launcher")" == "$opt_base"/traject-*/traject ]]; then
        rm -f "$launcher"
    fi
    rm -f "$desktop_file"
    for size in "${icon_sizes[@]}"; do
        rm -f "$share_dir/icons/hicolor/${size}x${size}/apps/traject.png"
    done
    for folder in "$opt_base"/traject-*; do
        if [[ -x "$folder/traject" ]]; then
            rm -rf "$folder"
            echo "removed $folder"
        fi
    done
    refresh_caches
    echo "Traject is uninstalled. Caseloads and settings in your own folders were left alone."
    exit 0
fi

if [[ ! -x "$HERE/traject/traject" ]]; then
    echo "install.sh: $HERE/traject/traject is missing: unpack the whole archive first" >&2
    exit 1
fi

mkdir -p "$opt_base" "$bin_dir" "$share_dir/applications"
staging="$(mktemp -d "$opt_base/.traject-install.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
cp -R "$HERE/traject/." "$staging/"
chmod -R u+rwX,go+rX,go-w "$staging"
rm -rf "$target"
mv "$staging" "$target"
trap - EXIT

ln -sfn "$target/traject" "$launcher"

# the menu entry starts the installed program by its full path: ~/.local/bin is not on
# every desktop session's PATH
exec_path="$target/traject"
exec_path="${exec_path//\\/\\\\}"  # escaped for sed's replacement text
exec_path="${exec_path//&/\\&}"
exec_path="${exec_path//|/\\|}"
sed "s|^Exec=.*|Exec=\"$exec_path\"|" "$HERE/traject.desktop" >"$desktop_file"
chmod 644 "$desktop_file"

for size in "${icon_sizes[@]}"; do
    icon_dir="$share_dir/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$icon_dir"
    install -m 644 "$HERE/icons/traject-$size.png" "$icon_dir/traject.png"
done
refresh_caches

echo "Traject $VERSION is installed in $target"
echo "  command:   $launcher"
echo "  menu:      $desktop_file"
case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "  note:      $bin_dir is not on your PATH; the menu entry works regardless" ;;
esac
for folder in "$opt_base"/traject-*; do
    if [[ "$folder" != "$target" && -x "$folder/traject" ]]; then
        echo "  older:     $folder is no longer used; remove it with: rm -rf '$folder'"
    fi
done
