#!/usr/bin/env bash
# The main job: build a release (installing the Debian -dev packages it needs when missing), then
# clean examples/raw.jsonl with the whole pipeline into out/, keeping every stage's rejects,
# removals and report beside the result.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh || exit $?
swift build -c release || exit $?
bin=$(swift build -c release --show-bin-path)
export PATH="$bin:$PATH"
mkdir -p out
soc-filter examples/raw.jsonl --min-turns 4 --rejects out/filter.rejects.jsonl \
  --removed out/filter.removed.jsonl --report out/filter.report.json -o out/clean.jsonl
status=$?
echo "demo: out/clean.jsonl has $(wc -l < out/clean.jsonl) chats from $(wc -l < examples/raw.jsonl) raw lines; reports in out/" >&2
exit $status
