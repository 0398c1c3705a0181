#!/usr/bin/env bash
# The main job: build a release (installing the Debian -dev packages it needs when missing), then
# clean examples/raw.jsonl with the whole pipeline into out/ — validate | scrub | dedup | filter —
# keeping every stage's rejects, removals, audit and report beside the result, and describe the
# result with soc-stats (Markdown for a dataset card, HTML for people).
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh || exit $?
swift build -c release || exit $?
bin=$(swift build -c release --show-bin-path)
export PATH="$bin:$PATH"
rm -rf out && mkdir -p out

soc-validate examples/raw.jsonl --personas examples/personas.jsonl \
    --rejects out/validate.rejects.jsonl --errors out/validate.errors.jsonl --report out/validate.report.json \
  | soc-scrub --audit out/scrub.audit.jsonl --report out/scrub.report.json \
  | soc-dedup --key chat_id --clusters out/dedup.clusters.jsonl --removed out/dedup.removed.jsonl \
      --report out/dedup.report.json \
  | soc-filter --min-turns 4 --removed out/filter.removed.jsonl --report out/filter.report.json \
      -o out/clean.jsonl
statuses=("${PIPESTATUS[@]}")
for s in "${statuses[@]}"; do [ "$s" -eq 0 ] || { echo "demo: a stage failed (statuses ${statuses[*]})" >&2; exit "$s"; }; done

reports=(out/validate.report.json out/scrub.report.json out/dedup.report.json out/filter.report.json)
soc-stats funnel "${reports[@]}" -o out/funnel.md || exit $?
soc-stats out/clean.jsonl --format md -o out/stats.md || exit $?
soc-stats out/clean.jsonl --format html -o out/report.html --reports "${reports[@]}" || exit $?
soc-stats out/clean.jsonl --format card -o out/card.md --reports "${reports[@]}" --data-files "data/*.jsonl" || exit $?

# One line of counts per stage, read from its --report (pretty-printed JSON; no python needed).
summary() {
  awk -F'[:,]' '/^  "(tool|read|written|rejected|removed|modified)"/ { gsub(/[" ]/, "", $1); gsub(/[" ]/, "", $2); v[$1] = $2 }
    END { printf "%-13s read %4d  written %4d  rejected %3d  removed %3d  modified %3d\n", v["tool"], v["read"], v["written"], v["rejected"], v["removed"], v["modified"] }' "$1"
}
echo "demo: examples/raw.jsonl ($(wc -l < examples/raw.jsonl) lines) -> out/clean.jsonl ($(wc -l < out/clean.jsonl) chats)"
for stage in validate scrub dedup filter; do summary "out/$stage.report.json"; done
echo "demo: $(wc -l < out/scrub.audit.jsonl) scrub changes in out/scrub.audit.jsonl; statistics in out/stats.md and out/report.html"
echo "demo: the cleaning funnel (soc-stats funnel on the four reports) in out/funnel.md:"
sed -n '/^| Step/,/^$/p' out/funnel.md
echo "demo: a dataset card in out/card.md"
