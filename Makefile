# HMS Tutor — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint contract pytest bench bundle selftest screenshots certificate-samples clean system-deps

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: on Debian run 'sudo apt install python3-venv' (see README)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,bundle]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/hms-desktop --demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

contract: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test: lint contract pytest

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/progress.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/ensembles.py

bundle: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean build.spec

selftest: bundle
	QT_QPA_PLATFORM=offscreen dist/hms-desktop/hms-desktop --selftest

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py docs/screenshots

certificate-samples: $(STAMP)
	$(BIN)/python scripts/certificate_samples.py docs/certificates

# Debian 12 packages Qt needs on a machine without a desktop (CI); a tutor's laptop has them.
system-deps:
	apt-get update -qq
	xargs -a scripts/debian-packages.txt apt-get install -y -qq --no-install-recommends

clean:
	rm -rf build dist $(VENV) .pytest_cache .ruff_cache
