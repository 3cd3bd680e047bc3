#!/usr/bin/env bash
# One-command set-up on a fresh machine: a virtual environment in .venv with rasad and its dev tools.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[all,dev]"
# The Syrian gazetteer, when the shared data is beside the checkout (users install their own copy).
if [ -d ../shared/gazetteer ]; then
  .venv/bin/rasad data install ../shared/gazetteer >/dev/null
fi
# GeoNames' villages, ranked below OCHA's (users: `rasad data install geonames` fetches SY.zip).
if [ -f ../shared/geonames/SY.txt ]; then
  .venv/bin/rasad data install ../shared/geonames/SY.txt >/dev/null
fi
echo "rasad installed in .venv: run '. .venv/bin/activate' then 'rasad --help'"
