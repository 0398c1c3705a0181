#!/usr/bin/env bash
# The habits CI keeps: the tree is formatted as .swift-format says (swift-format ships with
# Swift 6), and the release build and the test build have no warnings in our own code
# (dependencies may warn).
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict --recursive --parallel Package.swift Sources Tests Fuzz
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift build -c release > "$log" 2>&1; then
    cat "$log" >&2
    echo "lint: the release build failed" >&2
    exit 1
fi
# The test targets are ours too: a debug build with them (which the tests then reuse).
if ! swift build --build-tests >> "$log" 2>&1; then
    cat "$log" >&2
    echo "lint: the debug build with tests failed" >&2
    exit 1
fi
ours="$(pwd)/(Sources|Tests)/"
if grep -E "^${ours}.*warning:" "$log" | sort -u; then
    echo "lint: the build warns in our own code (above)" >&2
    exit 1
fi
echo "lint: formatted; release build and test build have no warnings in Sources/ or Tests/"
