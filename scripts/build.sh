#!/usr/bin/env bash
# Build the packaged application (PyInstaller, one folder, from build.spec), run the frozen
# program's self-test without a network, and pack the Linux tarball.
#   ./scripts/build.sh          -> dist/Eligo/ and dist/Eligo-<version>-linux-<arch>.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
export QT_QPA_PLATFORM=offscreen
version="$(.venv/bin/python -c 'import desktop_app; print(desktop_app.__version__)')"

echo "== translations and icons"
for ts in resources/translations/*.ts; do
  .venv/bin/pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"
done
.venv/bin/python packaging/make_icons.py build/icons >/dev/null

echo "== pyinstaller"
.venv/bin/pyinstaller --noconfirm --log-level WARN build.spec 2> >(grep -v -e "required via ctypes not found" \
  -e "could not resolve 'libg[dt]k-3" -e "Ignoring icon; supported only" >&2)

echo "== frozen self-test"
if unshare -rn true 2>/dev/null; then
  echo "(in a new network namespace: no network at all)"
  unshare -rn dist/Eligo/Eligo --self-test
else
  echo "(unshare -rn is not allowed here: running with the machine's network; Eligo opens no connection)"
  dist/Eligo/Eligo --self-test
fi

echo "== tarball"
tarball="dist/Eligo-${version}-linux-$(uname -m).tar.gz"
tar -C dist -czf "$tarball" Eligo
echo "$tarball: $(du -h "$tarball" | cut -f1) ($(du -sh dist/Eligo | cut -f1) unpacked)"
