#!/usr/bin/env bash
# The main job on a fresh machine: set up, then summarise district 8.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
.venv/bin/toc show models/district8.json
