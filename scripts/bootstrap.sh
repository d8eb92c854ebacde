#!/usr/bin/env bash
# Set up a fresh machine for toc: Graphviz's `dot` (where we may install it) and a virtualenv
# in .venv with toc and its render, lsp and dev extras. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "toc needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
  exit 2
fi

if ! command -v dot >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Graphviz (apt-get install graphviz fonts-dejavu-core)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz fonts-dejavu-core >/dev/null
  else
    echo "note: Graphviz's 'dot' is missing; drawing needs it (e.g. sudo apt-get install graphviz)" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the project's metadata changed since the last install.
if [ ! -f .venv/.toc-installed ] || [ pyproject.toml -nt .venv/.toc-installed ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # the distribution was called "toc" before it became "toc-programmes": one install, not two
  .venv/bin/python -m pip uninstall --quiet --yes toc >/dev/null 2>&1 || true
  .venv/bin/python -m pip install --quiet -e '.[render,iati,xlsx,lsp,dev,docs]'
  touch .venv/.toc-installed
fi
