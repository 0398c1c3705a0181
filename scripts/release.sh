#!/usr/bin/env bash
# Makes the release tarball: what `make install` puts under a prefix (binaries that need no Swift
# toolchain, completions, man pages, docs), in one folder soc-tools-VERSION-linux-ARCH/, as
#   dist/soc-tools-VERSION-linux-ARCH.tar.gz   and its .sha256
# VERSION is what the built tools print for --version. The archive is reproducible: names sorted,
# owner 0, every time the last commit's, gzip without a name or time stamp.
#   scripts/release.sh [OUT_DIR]    (default dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
arch=$(uname -m)
scripts/install.sh "$stage/prefix"
version=$("$stage/prefix/bin/soc-filter" --version)
name="soc-tools-$version-linux-$arch"
mv "$stage/prefix" "$stage/$name"
stamp=$(git log -1 --format=%ct 2>/dev/null || echo "${SOURCE_DATE_EPOCH:-0}")
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" -C "$stage" -cf - "$name" \
    | gzip -n -9 >"$out/$name.tar.gz"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "$out/$name.tar.gz"
