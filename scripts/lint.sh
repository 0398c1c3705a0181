#!/usr/bin/env bash
# The habits CI keeps: the tree is formatted as .swift-format says (swift-format ships with
# Swift 6), and a release build of our own targets has no warnings (dependencies may warn).
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
ours="$(pwd)/(Sources|Tests)/"
if grep -E "^${ours}.*warning:" "$log"; then
    echo "lint: the release build warns in our own code (above)" >&2
    exit 1
fi
echo "lint: formatted, and the release build has no warnings in Sources/ or Tests/"
