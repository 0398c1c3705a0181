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
if command -v jq >/dev/null; then t_jq=$(best_seconds 1 jq -c . "$data"); else t_jq=""; fi
echo "| command | seconds | MB/s | soc-filter is ×faster |"
echo "|---|---:|---:|---:|"
echo "| soc-filter --min-turns 10 --max-turns 24 | $t_filter | $(mbps "$bytes" "$t_filter") | 1.0 |"
echo "| soc-filter (validating parse, no bounds) | $t_parse | $(mbps "$bytes" "$t_parse") | $(ratio "$t_parse" "$t_filter") |"
echo "| cat | $t_cat | $(mbps "$bytes" "$t_cat") | $(ratio "$t_cat" "$t_filter") |"
[ -n "$t_jq" ] && echo "| jq -c . | $t_jq | $(mbps "$bytes" "$t_jq") | $(ratio "$t_jq" "$t_filter") |"
echo "| python3 json.loads + len filter | $t_py | $(mbps "$bytes" "$t_py") | $(ratio "$t_py" "$t_filter") |"
