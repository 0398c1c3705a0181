#!/usr/bin/env bash
# soc-scrub (default rules) against a plain Python json + re implementation of the same rules
# (bench/scrub_reference.py), same files, same run; plus what compiling per-persona rules costs.
# Output goes to /dev/null so the disk does not dominate.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bin=$1
data=bench/data/soc.jsonl
flawed=bench/data/soc_flaws.jsonl
mkdir -p bench/out
if [ ! -s "$flawed" ]; then
  # 20 MB in which 60% of the chats carry a planted label or glued tag (bench/gen_soc.py --flaws),
  # between 12 personas (66 pairs), so that pairs recur as in a real persona bank.
  python3 bench/gen_soc.py --megabytes 20 --seed 7 --flaws --personas 12 > "$flawed"
fi
bytes=$(file_bytes "$data")
fbytes=$(file_bytes "$flawed")

t_scrub=$(best_seconds 11 "$bin/soc-scrub" "$data")
t_audit=$(best_seconds 3 "$bin/soc-scrub" --audit bench/out/scrub.audit.jsonl "$data")
t_py=$(best_seconds 1 sh -c "python3 bench/scrub_reference.py < '$data'")
t_fscrub=$(best_seconds 7 "$bin/soc-scrub" --rejects bench/out/scrub.rejects.jsonl "$flawed")
t_fnocache=$(best_seconds 5 "$bin/soc-scrub" --cache-size 1 --rejects bench/out/scrub.rejects.jsonl "$flawed")
t_fpy=$(best_seconds 1 sh -c "python3 bench/scrub_reference.py < '$flawed'")

echo "| command | file | seconds | MB/s | soc-scrub is ×faster |"
echo "|---|---|---:|---:|---:|"
echo "| soc-scrub | soc.jsonl | $t_scrub | $(mbps "$bytes" "$t_scrub") | 1.0 |"
echo "| soc-scrub --audit FILE (one thread, log in order) | soc.jsonl | $t_audit | $(mbps "$bytes" "$t_audit") | $(ratio "$t_audit" "$t_scrub") |"
echo "| python3 bench/scrub_reference.py (json + re) | soc.jsonl | $t_py | $(mbps "$bytes" "$t_py") | $(ratio "$t_py" "$t_scrub") |"
echo "| soc-scrub | soc_flaws.jsonl | $t_fscrub | $(mbps "$fbytes" "$t_fscrub") | 1.0 |"
echo "| soc-scrub --cache-size 1 (compiles again whenever the pair changes) | soc_flaws.jsonl | $t_fnocache | $(mbps "$fbytes" "$t_fnocache") | $(ratio "$t_fnocache" "$t_fscrub") |"
echo "| python3 bench/scrub_reference.py (json + re) | soc_flaws.jsonl | $t_fpy | $(mbps "$fbytes" "$t_fpy") | $(ratio "$t_fpy" "$t_fscrub") |"
echo

# What changed, what compiling cost, and whether the two implementations agree record by record.
"$bin/soc-scrub" --rejects bench/out/scrub.rejects.jsonl --report bench/out/scrub.flaws.report.json "$flawed" > bench/out/scrub.flaws.jsonl 2>/dev/null
"$bin/soc-scrub" --cache-size 1 --rejects bench/out/scrub.rejects.jsonl --report bench/out/scrub.nocache.report.json "$flawed" > /dev/null 2>/dev/null
"$bin/soc-scrub" --report bench/out/scrub.report.json "$data" > /dev/null
python3 bench/scrub_reference.py < "$flawed" > bench/out/scrub.flaws.reference.jsonl
python3 - "$flawed" bench/out/scrub.flaws.jsonl bench/out/scrub.flaws.reference.jsonl bench/out/scrub.report.json bench/out/scrub.flaws.report.json bench/out/scrub.nocache.report.json <<'PY'
import json, sys
raw, ours, ref, clean_report, flaw_report, nocache_report = sys.argv[1:]
def records(path):
    out = []
    for line in open(path, encoding="utf-8"):
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out
a, b = records(ours), records(ref)
same = sum(x == y for x, y in zip(a, b))
for name, path in (("soc.jsonl", clean_report), ("soc_flaws.jsonl", flaw_report), ("soc_flaws.jsonl --cache-size 1", nocache_report)):
    r = json.load(open(path))
    c = r["rule_cache"]
    per = c["compile_seconds"] / c["compiled"] * 1e6 if c["compiled"] else 0
    changes = ", ".join(f"{k} {v}" for k, v in r["changes"].items()) or "none"
    print(f"- {name}: {r['read']} records, {r['modified']} modified ({changes}); "
          f"per-persona patterns compiled {c['compiled']} ({c['compile_seconds'] * 1000:.1f} ms, {per:.0f} µs each), "
          f"cache lookups {c['lookups']}, hits {c['hits']}")
print(f"- soc_flaws.jsonl: soc-scrub and the Python reference agree on {same} of {len(a)} records (compared as parsed JSON; reference wrote {len(b)})")
PY
