#!/usr/bin/env bash
# soc-stats throughput and memory, next to Python peers measured in the same run.
#   bench/stats.sh BIN_DIR    (BIN_DIR holds a release soc-stats; the realistic profile, lib.sh)
# Prints a Markdown table: MB/s on the 100 MB SOC file (parallel shards and one thread), the Python
# reference (json, orjson) with the ratio, and peak RSS for 100 MB vs ~1 GB (a file, and a pipe)
# to show that memory does not grow with the input. The figures of soc-stats and the Python
# reference are compared as well.
set -euo pipefail
BIN=$(cd "${1:-$(dirname "$0")/../.build/release}" && pwd)
cd "$(dirname "$0")/.."
source bench/lib.sh
DATA=$(realistic_data)
BIG=bench/data/soc_realistic-1g.jsonl
# orjson, the fast peer, runs in bench/data/venv (lib.sh), never in the system Python.
peer_ok orjson || true
PY=$(peer_python)
[ -f "$BIG" ] && [ "$(stat -c %s "$BIG")" -eq $(( 10 * $(stat -c %s "$DATA") )) ] || {
    for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$DATA"; done > "$BIG"
}
MB=$(python3 -c "import os; print(os.path.getsize('$DATA') / 1e6)")
BIGMB=$(python3 -c "import os; print(os.path.getsize('$BIG') / 1e6)")

# measure RUNS CMD...: best wall time of RUNS runs, its CPU seconds (user+sys) and peak RSS (KB),
# in globals. CPU seconds are shown too because the machine may be shared: wall time then
# includes waiting for a core, CPU time does not.
TIME_FILE=$(mktemp)
trap 'rm -f "$TIME_FILE"' EXIT
measure() {
    local runs=$1; shift
    SECONDS_BEST=; RSS_KB=; CPU=
    for _ in $(seq "$runs"); do
        local t0 t1
        t0=$(date +%s%N)
        # `command` runs GNU time from PATH, not the shell keyword.
        command time -f "%e %M %U %S" -o "$TIME_FILE" "$@" > /dev/null
        t1=$(date +%s%N)
        read -r _ kb u sy < "$TIME_FILE"
        s=$(python3 -c "print(($t1 - $t0) / 1e9)")
        if [ -z "$SECONDS_BEST" ] || python3 -c "import sys; sys.exit(0 if $s < $SECONDS_BEST else 1)"; then
            SECONDS_BEST=$s; RSS_KB=$kb; CPU=$(python3 -c "print($u + $sy)")
        fi
    done
}
rate() { python3 -c "print(f'{$1 / max($2, 0.001):.0f}')"; }
# row TOOL INPUT MEGABYTES: one table row from the last measure.
row() { rows+=("| $1 | $2 | $(rate "$3" "$SECONDS_BEST") | $(rate "$3" "$CPU") | $RSS_KB |"); }

rows=()
measure 10 "$BIN/soc-stats" --format json "$DATA"; st=$SECONDS_BEST
row "soc-stats (2 threads, default)" "100 MB file" "$MB"
measure 10 "$BIN/soc-stats" --threads 1 --format json "$DATA"; s1=$SECONDS_BEST
row "soc-stats --threads 1" "100 MB file" "$MB"
measure 1 "$PY" bench/stats_ref.py "$DATA"; py=$SECONDS_BEST
row "python3 json (bench/stats_ref.py)" "100 MB file" "$MB"
if "$PY" -c 'import orjson' 2>/dev/null; then
    measure 1 "$PY" bench/stats_ref.py --orjson "$DATA"; pyo=$SECONDS_BEST
    row "python3 orjson (bench/stats_ref.py --orjson)" "100 MB file" "$MB"
fi
measure 3 "$BIN/soc-stats" --format json "$BIG"
row "soc-stats (2 threads)" "1 GB file" "$BIGMB"
measure 1 sh -c "cat $DATA $DATA $DATA $DATA $DATA $DATA $DATA $DATA $DATA $DATA | $BIN/soc-stats --format json"
row "cat ×10 \\| soc-stats (stdin, 2 threads)" "1 GB pipe" "$BIGMB"
if command -v zstd >/dev/null; then
    [ -f "$BIG.zst" ] || zstd -1 -q -T2 -o "$BIG.zst" "$BIG"
    measure 1 "$BIN/soc-stats" --format json "$BIG.zst"
    row "soc-stats (zstd, streamed, 2 threads)" "1 GB .zst" "$BIGMB"
fi

echo "| tool | input | MB/s (wall) | MB per CPU-second | peak RSS (KB) |"
echo "|---|---|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "soc-stats is $(python3 -c "print(f'{$py / $st:.0f}')")× python json$( [ -n "${pyo:-}" ] && python3 -c "print(f' and {$pyo / $st:.0f}× orjson')")."

# The same figures from both implementations.
"$BIN/soc-stats" --format json "$DATA" | python3 -c '
import json, subprocess, sys
s = json.load(sys.stdin)
ours = {"records": s["records"], "messages": s["messages"], "turns_max": s["turns"]["max"], "turns_sum": s["turns"]["sum"],
        "words": s["words_per_chat"]["sum"], "chars": s["chars_per_chat"]["sum"],
        # The reference does not look for ill-formed tags (a count only soc-stats keeps): not compared.
        "tags": {k: v["occurrences"] for k, v in s["tags"].items() if k != "ill_formed"}}
ref = json.loads(subprocess.run([sys.executable, "bench/stats_ref.py", sys.argv[1]], capture_output=True, check=True).stdout)
print("figures agree with the Python reference:", "yes" if ours == ref else f"NO\n ours {ours}\n ref  {ref}")
' "$DATA"
