#!/usr/bin/env bash
# Installs the Debian packages soc-tools links against, when they are missing.
# As root it runs apt-get; otherwise it prints the exact command to run. With --test it also
# installs what only the test suite uses (headless Chromium for the HTML report test).
set -euo pipefail
packages=(zlib1g-dev libzstd-dev libbz2-dev liblzma-dev libpcre2-dev libxxhash-dev)
if [ "${1:-}" = --test ]; then packages+=(chromium chromium-driver); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "installing ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
else
  echo "soc-tools needs: sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi
