#!/usr/bin/env bash
# Runs one libFuzzer target (Fuzz/*.swift) for SECONDS seconds, with AddressSanitizer.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]    TARGET: json, lines, scrub, schema
#   scripts/fuzz.sh --list
#
# SOCCore is built instrumented (-sanitize=fuzzer,address) into .build/fuzz, apart from the normal
# build, and the target file is linked against it with swiftc; the fuzz targets are not SwiftPM
# targets, so `swift build` never needs libFuzzer. The corpus grows in .build/fuzz/corpus/TARGET
# (seeded from Fuzz/seeds/TARGET), crashes land in .build/fuzz/crashes/TARGET-*; the last lines of
# libFuzzer's log (executions, coverage) are printed at the end. Leak detection is off: LeakSanitizer
# cannot see Swift's weak-reference side tables (their pointers are stored shifted in the object's
# refcount word), so every `weak var` would be reported as a leak.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A files=([json]=JSONFuzz [lines]=LineReaderFuzz [scrub]=ScrubFuzz [schema]=SchemaFuzz)
if [[ "${1:-}" == "--list" ]]; then printf '%s\n' "${!files[@]}" | sort; exit 0; fi
if [[ $# -lt 2 || -z "${files[$1]:-}" || ! "$2" =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]   (targets: $(printf '%s ' "${!files[@]}"))" >&2
    exit 2
fi
target=$1 seconds=$2
shift 2

out=.build/fuzz
flags=(-sanitize=fuzzer,address)
swift build -c release --build-path "$out" --target SOCCore $(printf -- '-Xswiftc %s ' "${flags[@]}") >&2
release="$out/release"
objects=()
# SOCCore's objects by its current sources: objects of files since deleted stay in the build folder.
while IFS= read -r source; do
    objects+=("$release/SOCCore.build/$(basename "$source").o")
done < <(find Sources/SOCCore -name '*.swift' | sort)
for module in ArgumentParser ArgumentParserToolInfo; do
    objects+=("$release/$module.build/"*.o)
done
binary="$out/fuzz-$target"
includes=()
for c in Sources/C*/; do includes+=(-I "$c"); done
rm -f "$binary"
swiftc "${flags[@]}" -O -parse-as-library -I "$release/Modules" "${includes[@]}" \
    Fuzz/Common.swift "Fuzz/${files[$target]}.swift" "${objects[@]}" -o "$binary" 2>&1 | grep -v 'Cannot export local symbol' >&2 || true
[[ -x "$binary" ]] || { echo "fuzz.sh: linking $binary failed" >&2; exit 1; }

corpus="$out/corpus/$target"
mkdir -p "$corpus" "$out/crashes"
seeds=()
[[ -d "Fuzz/seeds/$target" ]] && seeds=("Fuzz/seeds/$target")
dict=()
[[ -f "Fuzz/$target.dict" ]] && dict=("-dict=Fuzz/$target.dict")
log="$out/fuzz-$target.log"
status=0
# Swift's own crash backtracer would run after libFuzzer's report and trip AddressSanitizer itself.
ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" SWIFT_BACKTRACE=enable=no "$binary" "$corpus" "${seeds[@]}" "${dict[@]}" -max_total_time="$seconds" -max_len=4096 -timeout=20 -rss_limit_mb=3072 \
    -artifact_prefix="$out/crashes/$target-" -print_final_stats=1 -detect_leaks=0 "$@" > "$log" 2>&1 || status=$?
tail -n 25 "$log"
exit $status
