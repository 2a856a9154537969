# o2osim: the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out/baseline
# pytest processes for make test: one per core; TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto

.PHONY: demo test golden notebook viz lint format docs bench clean help

help:
	@echo "make demo   - create $(VENV), install o2osim, run scenarios/baseline.yaml into $(OUT)"
	@echo "make test   - create $(VENV), install the dev extra, run ruff and pytest"
	@echo "make notebook - install Jupyter and open the teaching notebooks in experiments/"
	@echo "make viz    - serve the interactive dashboard on http://127.0.0.1:8765"
	@echo "make docs   - regenerate docs/scenarios.md from the scenario schema"
	@echo "make golden - regenerate the golden outputs in tests/golden/ (results meant to change)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the project's own dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@ $(VENV)/.installed

$(VENV)/.installed-notebook: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[notebook]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/o2osim run scenarios/baseline.yaml --out $(OUT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check o2osim tests experiments
	$(BIN)/ruff format --check o2osim tests experiments
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope

# Regenerate the golden outputs of tests/golden/ (only for a change meant to move results;
# its commit says which change moved which figure). GOLDEN="case ..." regenerates some cases.
golden: $(VENV)/.installed-dev
	$(BIN)/python tests/golden_cases.py $(GOLDEN)

# JupyterLab on the notebooks; add JUPYTER_ARGS="--no-browser --ip=0.0.0.0" on a server.
# Jupyter refuses root unless told; containers often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
notebook: $(VENV)/.installed-notebook
	$(BIN)/jupyter lab --notebook-dir=experiments $(ROOT_FLAG) $(JUPYTER_ARGS)

SCENARIO ?= scenarios/china_2004_2020.yaml
viz: $(VENV)/.installed-notebook
	$(BIN)/o2osim viz $(SCENARIO)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check o2osim tests experiments

format: $(VENV)/.installed-dev
	$(BIN)/ruff format o2osim tests experiments

docs: $(VENV)/.installed
	$(BIN)/o2osim schema --markdown > docs/scenarios.md

clean:
	rm -rf $(VENV) .venv-* out .pytest_cache .ruff_cache
