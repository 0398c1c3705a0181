#!/usr/bin/env bash
# Writes a man page (section 1) for each tool in BIN_DIR into MAN_DIR, with argument-parser's
# generate-manual tool (built from the package's own swift-argument-parser checkout, so no network
# is needed). The date on the pages is the last commit's, so the same commit gives the same pages.
# Should that tool not build, each page is the tool's --help in a minimal mdoc wrapper instead.
#   scripts/man-pages.sh BIN_DIR MAN_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: scripts/man-pages.sh BIN_DIR MAN_DIR}
man=${2:?usage: scripts/man-pages.sh BIN_DIR MAN_DIR}
tools=(soc-filter soc-validate soc-scrub soc-dedup soc-stats)
mkdir -p "$man"
date=$(git log -1 --format=%cs 2>/dev/null || true)
[ -n "$date" ] || date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%F)

generator=""
# Built like the release (same folder and flags), so it reuses the argument-parser modules.
if tools_bin=$(scripts/build-release.sh --product generate-manual); then
    generator="$tools_bin/generate-manual"
fi
for tool in "${tools[@]}"; do
    if [ -n "$generator" ]; then
        "$generator" "$bin/$tool" --date "$date" --output-directory "$man"
    else
        {
            printf '.Dd %s\n.Dt %s 1\n.Os\n.Sh NAME\n.Nm %s\n.Sh DESCRIPTION\n.Bd -literal\n' \
                "$date" "$(echo "$tool" | tr a-z A-Z)" "$tool"
            "$bin/$tool" --help | sed 's/\\/\\e/g; s/^\./\\\&./'
            printf '.Ed\n'
        } >"$man/$tool.1"
    fi
done
