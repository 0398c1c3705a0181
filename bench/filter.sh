#!/usr/bin/env bash
# soc-filter (validating parse + length filter) against cat, jq -c . and Python json.loads,
# on the same file (the realistic profile, lib.sh) in the same run. Output goes to /dev/null so
# the disk does not dominate.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bin=$1
data=$(realistic_data)
bytes=$(file_bytes "$data")
t_filter=$(best_seconds 5 "$bin/soc-filter" --min-turns 10 --max-turns 24 "$data")
t_parse=$(best_seconds 5 "$bin/soc-filter" "$data")
t_cat=$(best_seconds 5 cat "$data")
t_py=$(best_seconds 1 python3 -c 'import sys, json
n = 0
for line in open(sys.argv[1], "rb"):
    d = json.loads(line)
    if 10 <= len(d["chat_parts"]) <= 24: n += 1' "$data")
# jq 1.6 stops at the first lone surrogate escape (`\ud83d`, in ~0.5% of the realistic records):
# it reads the file without those lines, and its MB/s is over the bytes it read.
t_jq=""
if command -v jq >/dev/null; then
  jq_data=bench/data/soc_realistic.for-jq.jsonl
  [ "$jq_data" -nt "$data" ] || grep -v '\\ud[89ab][0-9a-f][0-9a-f] [^\\]' "$data" > "$jq_data" || true
  if jq -c . "$jq_data" > /dev/null 2>&1; then t_jq=$(best_seconds 1 jq -c . "$jq_data"); fi
fi
echo "| command | seconds | MB/s | soc-filter is ×faster |"
echo "|---|---:|---:|---:|"
echo "| soc-filter --min-turns 10 --max-turns 24 | $t_filter | $(mbps "$bytes" "$t_filter") | 1.0 |"
echo "| soc-filter (validating parse, no bounds) | $t_parse | $(mbps "$bytes" "$t_parse") | $(ratio "$t_parse" "$t_filter") |"
echo "| cat | $t_cat | $(mbps "$bytes" "$t_cat") | $(ratio "$t_cat" "$t_filter") |"
if [ -n "$t_jq" ]; then
  jq_bytes=$(file_bytes "$jq_data")
  t_jq_scaled=$(awk -v t="$t_jq" -v a="$bytes" -v b="$jq_bytes" 'BEGIN { printf "%.3f", t * a / b }')
  echo "| jq -c . (the lines without a lone surrogate, which jq 1.6 refuses; time scaled to the whole file) | $t_jq_scaled | $(mbps "$jq_bytes" "$t_jq") | $(ratio "$t_jq_scaled" "$t_filter") |"
fi
echo "| python3 json.loads + len filter | $t_py | $(mbps "$bytes" "$t_py") | $(ratio "$t_py" "$t_filter") |"
