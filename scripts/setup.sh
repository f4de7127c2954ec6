#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the locked dependencies.
# A second run with nothing changed only compares a stamp and exits.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
LOCK=requirements.lock
STAMP=$VENV/.setup-stamp

find_python310() {
    local candidate
    for candidate in $(ls -d "$HOME"/.pyenv/versions/3.10.*/bin/python 2>/dev/null | sort -V -r) \
                     "$(command -v python3.10 || true)"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ] \
           && "$candidate" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    return 1
}

# Browser tests drive Debian's Chromium (a test tool's own browser download fails offline).
ensure_chromium() {
    command -v chromium >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Chromium and its driver from Debian's packages"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null; }
    else
        echo "NOTE: Chromium is missing; browser tests need it (Debian/Ubuntu: sudo apt install chromium)." >&2
    fi
}
ensure_chromium

want_stamp=$(cat pyproject.toml "$LOCK" | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ] && [ -x "$VENV/bin/python" ]; then
    exit 0
fi

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    if ! PY=$(find_python310); then
        cat >&2 <<'MSG'
ERROR: Python 3.10 is required (Rasa Open Source 3.6 supports Python 3.8-3.10 only).
Install it, then run the command again, e.g. with pyenv:
    pyenv install 3.10.13
or with your package manager (Debian/Ubuntu): apt install python3.10 python3.10-venv
MSG
        exit 1
    fi
    echo "Creating $VENV with $PY"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
fi

echo "Installing locked dependencies into $VENV (first time: about 2 minutes)"

"$VENV/bin/python" -m pip install -q -c "$LOCK" -e '.[dev]'
echo "$want_stamp" > "$STAMP"
