#!/usr/bin/env bash
# The whole test suite: unit tests and end-to-end tests that spawn the built tools.
# Installs the Debian -dev packages it needs first (as root), like scripts/demo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build            # the end-to-end tests run these debug executables
swift test "$@"
