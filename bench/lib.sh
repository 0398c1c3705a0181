# Shared helpers for bench/<tool>.sh scripts (source it).

# best_seconds N CMD...: the fastest wall time of N runs of CMD (stdout to /dev/null), in seconds.
best_seconds() {
  local n=$1; shift
  local best=""
  for _ in $(seq "$n"); do
    local start end t
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s.%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", b - a }')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
  done
  printf '%.3f' "$best"
}

# mbps BYTES SECONDS: throughput in MB/s (10^6 bytes).
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / 1e6 / s }'; }

# ratio A B: A/B with one decimal.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

# file_bytes FILE (a symlink counts as the file it points to)
file_bytes() { stat -L -c %s "$1"; }
