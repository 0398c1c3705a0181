#!/usr/bin/env bash
# The whole test suite: unit tests and end-to-end tests that spawn the built tools.
# Installs the Debian -dev packages it needs first (as root), like scripts/demo.sh.
# With no arguments it first runs scripts/lint.sh (format lint, and a release build without
# warnings in our code); arguments go to `swift test` (e.g. --filter ScrubTests) and skip the lint.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/pyenv.sh >/dev/null   # Python packages of requirements/, for the tests that drive them
export SOC_REQUIRE_PYENV=1
if [ $# -eq 0 ]; then scripts/lint.sh; fi
swift build            # the end-to-end tests run these debug executables
swift test "$@"
