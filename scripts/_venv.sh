# shellcheck shell=bash
# Shared by scripts/run, scripts/test and .ci/run: make sure the virtualenv exists and has the
# project installed. Source it; don't run it.
#
#   VENV    where the virtualenv lives (default: .venv in the project root)
#   PYTHON  the interpreter to build it with (default: the first Python 3.11+ found)
#
# The project is (re)installed only when pyproject.toml differs from the one installed last
# (a hash kept inside the virtualenv), so reruns start in a second or two.

SIGNOFF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$SIGNOFF_ROOT/.venv}"
case "$VENV" in
    /*) ;;
    *) VENV="$SIGNOFF_ROOT/$VENV" ;;
esac
export VENV

_signoff_python_ok() {
    # True when "$1" is a Python 3.11 or newer that can build virtualenvs.
    "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

_signoff_find_python() {
    local candidate
    if [[ -n "${PYTHON:-}" ]]; then
        if _signoff_python_ok "$PYTHON"; then
            echo "$PYTHON"
            return 0
        fi
        echo "error: PYTHON=$PYTHON is not Python 3.11 or newer (or lacks the venv module)." >&2
        return 1
    fi
    for candidate in python3 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 && _signoff_python_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "error: Signoff needs Python 3.11 or newer with the venv module." >&2
    if command -v python3 >/dev/null 2>&1; then
        echo "       python3 here is: $(python3 --version 2>&1)" >&2
    fi
    echo "       Install Python 3.11+ (e.g. apt-get install python3 python3-venv), or set PYTHON=/path/to/python3.11." >&2
    return 1
}

_signoff_hash() {
    "$VENV/bin/python" - "$@" <<'PY'
import hashlib, sys
digest = hashlib.sha256()
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        digest.update(handle.read())
print(digest.hexdigest())
PY
}

ensure_venv() {
    local python stamp wanted
    if [[ ! -x "$VENV/bin/python" ]] || ! _signoff_python_ok "$VENV/bin/python"; then
        python="$(_signoff_find_python)" || return 1
        echo "==> Creating virtualenv $VENV with $("$python" --version 2>&1)"
        rm -rf "$VENV"
        "$python" -m venv "$VENV" || {
            echo "error: '$python -m venv' failed; on Debian/Ubuntu install python3-venv." >&2
            return 1
        }
    fi

    stamp="$VENV/.signoff-installed"
    wanted="$(_signoff_hash "$SIGNOFF_ROOT/pyproject.toml")" || return 1
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
        echo "==> Installing Signoff and its dependencies into $VENV (the first time takes a few minutes)"
        (
            cd "$SIGNOFF_ROOT" &&
                "$VENV/bin/python" -m pip install --no-input --quiet --upgrade pip &&
                "$VENV/bin/python" -m pip install --no-input --quiet -e '.[dev]'
        ) || {
            echo "error: installing the project into $VENV failed (see pip's output above)." >&2
            return 1
        }
        echo "$wanted" >"$stamp"
    fi

    export PATH="$VENV/bin:$PATH"
    export VIRTUAL_ENV="$VENV"
}
