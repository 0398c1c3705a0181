#!/usr/bin/env bash
# The main job on examples/: validate, scrub, deduplicate and filter the raw sample into out/,
# with every stage's rejects, removals and report kept beside the result.
set -uo pipefail
bin=${1:-.build/release}
mkdir -p out
export PATH="$bin:$PATH"
soc-filter examples/raw.jsonl --min-turns 4 --rejects out/filter.rejects.jsonl \
  --removed out/filter.removed.jsonl --report out/filter.report.json -o out/clean.jsonl
status=$?
echo "wrote out/clean.jsonl ($(wc -l < out/clean.jsonl) chats from $(wc -l < examples/raw.jsonl) lines); reports in out/"
exit $status
