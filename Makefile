# Tunesmith: `make run` installs what is missing and starts the server; `make test` runs every test.
SWIFT ?= swift
HOST ?= 127.0.0.1
PORT ?= 8080
DATA_DIR ?= ./data

.PHONY: deps build release run test bench clean

deps:
	bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	.build/release/tunesmith serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

test:
	TUNESMITH_TEST_DEPS=1 bash scripts/install-deps.sh
	bash scripts/test.sh

bench: 
	TUNESMITH_BENCH_DEPS=1 bash scripts/install-deps.sh
	$(SWIFT) build -c release --product tunesmith-bench
	.build/release/tunesmith-bench

clean:
	rm -rf .build
