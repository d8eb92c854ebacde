#!/usr/bin/env bash
# The main job on a fresh machine: set up, check district 8, summarise it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
.venv/bin/toc check models/district8.json
.venv/bin/toc show models/district8.json
