#!/usr/bin/env bash
# Prepare a fresh machine: system libraries Qt needs, a virtual environment in .venv, and the
# project with the extras given as arguments (e.g. "test"). Safe to run again: it skips
# what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
PY="${PYTHON:-python3}"

need_debs=()
# Qt's xcb/offscreen platforms and fonts (a Chinese one, TrueType so that PDFs embed it as
# searchable text); poppler-utils reads PDFs back in tests; openssl and xxd run the documented
# verification of a bundle without Eligo (docs/verifying-a-bundle.md) in tests.
for deb in libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 fonts-dejavu-core fonts-wqy-microhei \
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 \
    libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 poppler-utils openssl xxd; do
  dpkg -s "$deb" >/dev/null 2>&1 || need_debs+=("$deb")
done
if ! "$PY" -m venv --help >/dev/null 2>&1; then need_debs+=(python3-venv); fi
if [ ${#need_debs[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "Installing system packages: ${need_debs[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_debs[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# The package index of some machines prints a warning per unknown mirror folder: noise.
quiet_pip() { .venv/bin/python -m pip "$@" 2> >(grep -v "is ignored: it is neither" >&2); }
stamp=".venv/.eligo-installed-${extras:-base}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  quiet_pip install -q --upgrade pip
  if [ -n "$extras" ]; then
    quiet_pip install -q -e ".[${extras}]"
  else
    quiet_pip install -q -e .
  fi
  touch "$stamp"
fi
