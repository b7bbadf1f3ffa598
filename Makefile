# The two commands of the README. Each creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NGO    := $(BIN)/ngograph

.PHONY: run test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(VENV)/.installed $@

## make run: build and validate the graph from data/, export it, print a summary
run: $(VENV)/.installed
	$(NGO) build
	$(NGO) validate
	$(NGO) export --format turtle --output build/ngograph.ttl
	$(NGO) summary

## make test: the whole test suite (unit, doctests, data, shapes, bad input)
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .ngograph build
