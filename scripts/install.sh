#!/usr/bin/env bash
# Installs soc-tools under PREFIX (default /usr/local): the release binaries, built so they run
# without a Swift toolchain (scripts/build-release.sh), bash, zsh and fish completions, and a
# man page per tool. DESTDIR is put before PREFIX, as packagers expect.
#   scripts/install.sh [PREFIX]          (make install PREFIX=... runs this)
# Layout: bin/soc-*, share/man/man1/soc-*.1, share/bash-completion/completions/soc-*,
# share/zsh/site-functions/_soc-*, share/fish/vendor_completions.d/soc-*.fish,
# share/doc/soc-tools/ (README, LICENSE, docs), share/soc-tools/rules/ (the bundled schemas and
# scrub rules, for reference: the binaries carry their own copies).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-${PREFIX:-/usr/local}}
case "$prefix" in /*) ;; *) prefix="$PWD/$prefix" ;; esac
root="${DESTDIR:-}$prefix"
tools=(soc-filter soc-validate soc-scrub soc-dedup soc-stats)

bin=$(scripts/build-release.sh)

mkdir -p "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
    "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d" \
    "$root/share/doc/soc-tools" "$root/share/soc-tools"
for tool in "${tools[@]}"; do
    # Stripped: the symbols of a static Swift runtime are most of the file's size.
    install -m 0755 "$bin/$tool" "$root/bin/$tool"
    strip --strip-unneeded "$root/bin/$tool"
    "$root/bin/$tool" --generate-completion-script bash >"$root/share/bash-completion/completions/$tool"
    "$root/bin/$tool" --generate-completion-script zsh >"$root/share/zsh/site-functions/_$tool"
    "$root/bin/$tool" --generate-completion-script fish >"$root/share/fish/vendor_completions.d/$tool.fish"
done
scripts/man-pages.sh "$root/bin" "$root/share/man/man1"
install -m 0644 README.md LICENSE "$root/share/doc/soc-tools/"
rm -rf "$root/share/doc/soc-tools/docs" "$root/share/soc-tools/rules"
cp -R docs "$root/share/doc/soc-tools/docs"
cp -R rules "$root/share/soc-tools/rules"
echo "installed ${tools[*]} into $root/bin (man pages, completions and docs under $root/share)" >&2
