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

## make run: build and validate the graph from data/, export it and its networks, draw the figures, print a summary
run: $(VENV)/.installed
	$(NGO) build
	$(NGO) validate
	$(NGO) export --format turtle --output build/ngograph.ttl
	$(NGO) network --kind organisations --format graphml --output build/organisations.graphml
	$(NGO) network --kind countries --format graphml --output build/countries.graphml
	$(NGO) plot --figure network --size-by betweenness --include-funders --output build/figures/network
	$(NGO) plot --figure matrix --output build/figures/country-matrix
	$(NGO) plot --figure map --output build/figures/country-map
	$(NGO) plot --figure timeline --output build/figures/timeline
	$(NGO) plot --figure brokerage --include-funders --output build/figures/brokerage
	$(NGO) summary

## make test: the whole test suite (unit, doctests, data, shapes, bad input)
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .ngograph build
