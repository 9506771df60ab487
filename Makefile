# The two commands a new machine needs: `make build` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: build test lint bench fuzz clean venv system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

## build: create the virtualenv, install, build the default course into dist/
build: $(STAMP)
	$(BIN)/bimtek build --strict

## test: same set-up, then lint and the whole test suite on every core (a test file's tests
## share one worker, so its module-scoped builds are made once)
test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q -n auto --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

## bench: bimtek beside pandoc on the same plain Markdown (equal terms), then the full-package
## timings of 8-, 60- and 300-module courses, then `bimtek serve`'s save -> reload time
## (prints tables; see bench/README.md)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/equal.py 60
	$(BIN)/python bench/run.py
	$(BIN)/python bench/serve.py

## fuzz: a long property-based run of the loader and renderers
fuzz: $(STAMP)
	BIMTEK_FUZZ_EXAMPLES=2000 $(BIN)/pytest -q tests/test_fuzz.py

## system-deps: optional, as root: HarfBuzz's subsetter makes every PDF build about 2x faster
## (WeasyPrint falls back to the slower fontTools without it) and Liberation fonts match Arial
system-deps:
	apt-get install -y libharfbuzz-subset0 fonts-liberation

clean:
	rm -rf dist build .pytest_cache .ruff_cache
