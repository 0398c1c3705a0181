# soc-tools: the two front-door commands are `make demo` and `make test` (see README.md).
SWIFT ?= swift
BIN := .build/release

.PHONY: deps build demo test bench clean

# Installs the C libraries the package links (Debian packages) when they are missing.
deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release

# Builds a release and cleans examples/raw.jsonl with the whole pipeline into out/.
demo: build
	@scripts/demo.sh $(BIN)

# The whole test suite (unit tests and end-to-end tests that spawn the tools).
test: deps
	$(SWIFT) build
	$(SWIFT) test

# Throughput of every tool next to its peers, measured in one run, as ratios.
bench: build
	@bench/run.sh $(BIN)

clean:
	rm -rf .build out bench/data bench/out
