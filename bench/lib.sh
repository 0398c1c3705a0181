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

# The Python peers (rensa, datasketch, jsonschema, orjson...) live in a virtual environment of
# their own, bench/data/venv (outside git), never in the system Python.
# peer_python: prints that environment's python, creating the environment on first use.
peer_python() {
  local venv=bench/data/venv
  if [ ! -x "$venv/bin/python" ]; then
    mkdir -p bench/data
    python3 -m venv "$venv" >&2 || { echo "bench: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; return 1; }
  fi
  echo "$venv/bin/python"
}

# peer_ok MODULE [PACKAGE]: true when MODULE imports in the peers' environment, installing
# PACKAGE (default MODULE) there first when it is missing (pip needs its index: the network or a mirror).
peer_ok() {
  local py
  py=$(peer_python) || return 1
  "$py" -c "import $1" 2>/dev/null || "$py" -m pip install --quiet "${2:-$1}" >/dev/null 2>&1 || true
  "$py" -c "import $1" 2>/dev/null
}

# The realistic profile (5,000 personas, non-Latin names and text, emoji, half the records
# \u-escaped, labels and glued tags): the file every tool and its peers are measured on.
realistic_data() {
  local data=bench/data/soc_realistic.jsonl
  mkdir -p bench/data
  if [ ! -s "$data" ]; then
    echo "generating $data (~100 MB, realistic profile, deterministic)..." >&2
    python3 bench/gen_soc.py --realistic --megabytes 100 --seed 1 > "$data"
  fi
  echo "$data"
}
