# Shortcuts; the README's two commands are scripts/demo.sh and scripts/test.sh (no make needed).
.PHONY: demo test bench deps clean screenshot install release

demo:
	scripts/demo.sh

test:
	scripts/test.sh

# Throughput of every tool next to its peers, measured in one run, as ratios; on the binaries
# `make install` ships (scripts/build-release.sh: the Swift runtime linked statically).
bench: deps
	bench/run.sh "$$(scripts/build-release.sh)"

deps:
	scripts/install-deps.sh

# Binaries that run without a Swift toolchain, completions and man pages under PREFIX
# (DESTDIR is honoured); see docs/install.md.
PREFIX ?= /usr/local
install:
	scripts/install.sh "$(PREFIX)"

# dist/soc-tools-VERSION-linux-ARCH.tar.gz (+ .sha256): what install puts under a prefix.
release:
	scripts/release.sh dist

clean:
	rm -rf .build out bench/data bench/out dist

# Renders the HTML statistics report of the demo output and screenshots it (headless Chromium).
screenshot: demo
	scripts/screenshot-stats.sh "$$(swift build -c release --show-bin-path)"
