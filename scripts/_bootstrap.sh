# Shared set-up for scripts/run and scripts/test: find Python >= 3.12, create
# .venv and install the pinned requirements when they changed. Sourced, not run.

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3 \
      "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 \
      /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  local requirements_file="$1"
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    local python
    if ! python=$(find_python); then
      echo "Leadsite needs Python 3.12 or newer (Django 6.1 requires it)." >&2
      echo "Install one (e.g. 'pyenv install 3.13') or set PYTHON=/path/to/python3.12 and run again." >&2
      exit 1
    fi
    echo "==> Creating .venv with $python ($("$python" --version))"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  # Reinstall only when a requirements file changed since the last install.
  local stamp=".venv/.installed-$(cat requirements.txt "$requirements_file" | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "==> Installing $requirements_file"
    # The pip that comes with Python 3.12+ installs every pinned wheel; upgrading it first only cost time.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements_file"
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
}
