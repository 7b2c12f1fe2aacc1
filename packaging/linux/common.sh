# Shared by build-archive.sh and build-appimage.sh (sourced, not run): the version, the
# one-folder build and the icons both package. Expects ROOT (the repository) and runs there.
# shellcheck shell=bash

# the version to package: the one given, else __version__ in app/__init__.py
traject_version() {
    local given="$1" script="$2"
    if [[ -n "$given" ]]; then
        echo "$given"
        return
    fi
    local found
    found="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
    [[ -n "$found" ]] || { echo "$script: no __version__ in app/__init__.py" >&2; exit 1; }
    echo "$found"
}

# the one-folder build must be there: `make dist` makes it
require_app() {
    local app="$1" script="$2"
    if [[ ! -x "$app/traject" || -d "$app/traject" ]]; then
        echo "$script: $app/traject is not an executable; run 'make dist' first" >&2
        exit 1
    fi
}

# the 48 and 256 px icons, rendered from the SVG when missing
ensure_icons() {
    local icons="$1"
    if [[ ! -f "$icons/traject-48.png" || ! -f "$icons/traject-256.png" ]]; then
        local python="${PYTHON:-}"
        if [[ -z "$python" ]]; then
            if [[ -x "$ROOT/.venv/bin/python" ]]; then python="$ROOT/.venv/bin/python"; else python=python3; fi
        fi
        QT_QPA_PLATFORM=offscreen "$python" "$ROOT/packaging/icons/render_icons.py" "$icons"
    fi
}
