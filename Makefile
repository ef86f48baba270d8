# djust: the two set-up commands are `make demo` and `make test`; everything else is a step of them.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
DEMO := examples/demo_project
DEMO_PORT ?= 8000

export VIRTUAL_ENV := $(CURDIR)/$(VENV)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PYO3_PYTHON := $(CURDIR)/$(PY)
export CARGO_TERM_COLOR := never

.PHONY: help demo test build build-release lint test-rust test-python test-js bench clean

help:
	@echo "make demo   - build djust and serve the demo project at http://127.0.0.1:$(DEMO_PORT)/"
	@echo "make test   - every test: Rust, Python, JavaScript, browser"
	@echo "make build  - build the extension (debug) into .venv"
	@echo "make lint   - rustfmt, clippy, ruff (check, format), mypy, stubtest, eslint"
	@echo "make bench  - run benchmarks/ against the release build, write BENCHMARKS.md"

# --- environment ----------------------------------------------------------------------------

$(STAMPS)/venv: requirements-dev.txt
	@mkdir -p $(STAMPS)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(STAMPS)/node: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's chromium (browser tests; browsers cannot be downloaded any other way here), nginx
# (the config/ sample is served through it) and redis-server (pub/sub across processes).
$(STAMPS)/system-packages:
	@mkdir -p $(STAMPS)
	@if ! command -v chromium >/dev/null || ! [ -x /usr/sbin/nginx ] \
			|| ! command -v redis-server >/dev/null; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium nginx-light \
			redis-server >/dev/null; \
	fi
	@touch $@

# --- builds ---------------------------------------------------------------------------------

build: $(STAMPS)/venv
	maturin develop --quiet

build-release: $(STAMPS)/venv
	maturin develop --quiet --release

# --- the two commands -----------------------------------------------------------------------

demo: build-release
	cd $(DEMO) && ../../$(PY) manage.py migrate --noinput
	@echo
	@echo "  djust demo: http://127.0.0.1:$(DEMO_PORT)/   (Ctrl-C stops it)"
	@echo
	cd $(DEMO) && ../../$(VENV)/bin/djust serve --settings demo_project.settings \
		--bind 127.0.0.1:$(DEMO_PORT)

test: lint test-rust test-js test-python
	@echo "make test: all passed"

test-rust:
	cargo nextest run --workspace --no-fail-fast
	cargo test --workspace --doc --quiet

test-js: $(STAMPS)/node
	node --test tests/js/

test-python: build $(STAMPS)/system-packages
	python -m pytest

lint: build $(STAMPS)/node
	cargo fmt --all --check
	cargo fmt --manifest-path benchmarks/loadgen/Cargo.toml --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	ruff check python tests examples benchmarks
	ruff format --check python tests examples benchmarks
	mypy python/djust
	python -m mypy.stubtest djust._core --allowlist python/stubtest-allowlist.txt
	npx eslint eslint.config.mjs static/djust tests/js tests/vdom/patch_check.js tools

bench: build-release
	python benchmarks/run.py $(ONLY)

clean:
	rm -rf $(STAMPS) target node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
