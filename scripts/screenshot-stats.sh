#!/usr/bin/env bash
# Renders soc-stats' HTML report of examples/raw.jsonl and takes a screenshot of it with headless
# Chromium (Debian's `chromium` package), so that a person can look at the page.
#   scripts/screenshot-stats.sh [BIN_DIR]   ->  out/report.html, out/report.png
set -euo pipefail
BIN=$(cd "${1:-$(dirname "$0")/../.build/release}" && pwd)
cd "$(dirname "$0")/.."
mkdir -p out
if ! command -v chromium >/dev/null 2>&1; then
    echo "installing chromium (Debian package)" >&2
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
# The report is of the demo's cleaned output when it exists, else of the raw sample.
input=examples/raw.jsonl; [ -s out/clean.jsonl ] && input=out/clean.jsonl
"$BIN/soc-stats" --format html -o out/report.html --rejects out/report-rejects.jsonl "$input"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,3000 \
    --screenshot="$PWD/out/report.png" "file://$PWD/out/report.html" 2>/dev/null
echo "out/report.html -> out/report.png"
