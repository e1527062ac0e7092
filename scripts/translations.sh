#!/usr/bin/env bash
# Refresh the translation sources from every tr() string, and compile them for the application.
#   bash scripts/translations.sh        (after changing user-visible strings)
# The Simplified Chinese file is translated with pyside6-linguist; untranslated entries fall back
# to English at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
for ts in resources/translations/*.ts; do
  .venv/bin/pyside6-lupdate -no-obsolete -locations none desktop_app/ui/*.py desktop_app/app.py -ts "$ts"
  .venv/bin/pyside6-lrelease "$ts" -qm "${ts%.ts}.qm"
done
