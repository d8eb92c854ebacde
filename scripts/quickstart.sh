#!/usr/bin/env bash
# The main job on a fresh machine: set up, check district 8, draw it, summarise it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
.venv/bin/toc check models/district8.json
.venv/bin/toc render models/district8.json --drawing all -o build/drawings
echo "drawings 2, 3 and 4: build/drawings/theory-of-change.svg, organisation.svg, annual-cycle.svg"
echo "(Chinese, Japanese, Korean text or emoji in your labels: apt-get install fonts-noto-cjk fonts-noto-color-emoji)"
.venv/bin/toc show models/district8.json
