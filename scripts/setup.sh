#!/usr/bin/env bash
# Sets up everything `make run` and `make test` need on a Debian 12 machine, idempotently:
# Debian packages, a .venv with the package installed editable (dev extras), and Debian's
# liblouis binding linked into the venv. A second run only checks and takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  espeak-ng liblouis-data liblouis20 python3-louis ffmpeg
  libportaudio2 portaudio19-dev
  python3-venv python3-dev build-essential
  daisy-player epubcheck default-jre-headless
  chromium
)
PYTHON="${PYTHON:-python3}"
VENV=.venv

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to install Debian packages: $*" >&2; exit 1; fi
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV with $PYTHON"
  "$PYTHON" -m venv "$VENV"
fi

# Reinstall only when the dependency list changed.
stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python dependencies into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e '.[dev]'
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi

# PyPI's `louis` is an unrelated 2013 package; Debian's binding is the real one (ctypes over liblouis).
site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
if [ ! -e "$site/louis" ]; then
  ln -s /usr/lib/python3/dist-packages/louis "$site/louis"
fi
"$VENV/bin/python" -c 'import louis' 2>/dev/null || { echo "setup: liblouis binding not importable from $VENV" >&2; exit 1; }
