# Shortcuts; the README's two commands are scripts/demo.sh and scripts/test.sh (no make needed).
.PHONY: demo test bench deps clean screenshot

demo:
	scripts/demo.sh

test:
	scripts/test.sh

# Throughput of every tool next to its peers, measured in one run, as ratios.
bench: deps
	swift build -c release
	bench/run.sh "$$(swift build -c release --show-bin-path)"

deps:
	scripts/install-deps.sh

clean:
	rm -rf .build out bench/data bench/out

# Renders the HTML statistics report of the demo output and screenshots it (headless Chromium).
screenshot: demo
	scripts/screenshot-stats.sh "$$(swift build -c release --show-bin-path)"
