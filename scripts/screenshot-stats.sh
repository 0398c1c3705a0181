#!/usr/bin/env bash
# Renders soc-stats' HTML report and takes full-page screenshots of it with headless Chromium
# (Debian's chromium and chromium-driver, driven by scripts/report-layout.py through selenium from
# .build/pyenv) at 420 and 1280 px, so that a person can look at the page.
#   scripts/screenshot-stats.sh [BIN_DIR]   ->  out/report.html, out/report-420.png, out/report-1280.png
# The report is of the demo's cleaned output with its cleaning funnel when `scripts/demo.sh` ran,
# else of the raw sample. The copies in docs/images/ were made with this script.
set -euo pipefail
BIN=$(cd "${1:-$(dirname "$0")/../.build/release}" && pwd)
cd "$(dirname "$0")/.."
mkdir -p out
scripts/install-deps.sh --test   # chromium and chromium-driver come with --test
python=$(scripts/pyenv.sh)
if [ -s out/clean.jsonl ] && [ -s out/filter.report.json ]; then
    "$BIN/soc-stats" --format html -o out/report.html out/clean.jsonl examples/personas.jsonl \
        --reports out/validate.report.json out/scrub.report.json out/dedup.report.json out/filter.report.json
else
    "$BIN/soc-stats" --format html -o out/report.html --rejects out/report-rejects.jsonl examples/raw.jsonl
fi
"$python" scripts/report-layout.py out/report.html out 420 1280
echo "out/report.html -> out/report-420.png, out/report-1280.png"
