# The commands of the README. Each creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NGO    := $(BIN)/ngograph

.PHONY: run test test-real mutation clean

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

## make test-real: the opt-in tests marked `real`: whole datasets of ../shared/datasets read and imported, counts checked
test-real: $(VENV)/.installed-test
	@test -d ../shared/datasets || { echo "make test-real: ../shared/datasets is missing (the real datasets)" >&2; exit 2; }
	NGOGRAPH_REAL=1 $(BIN)/python -m pytest -q -m real

$(VENV)/.installed-mutation: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,mutation]'
	touch $(VENV)/.installed $(VENV)/.installed-test $@

## make mutation [MODULES="ngograph/net/measures.py ..."] [TESTS="tests/test_x.py ..."]: mutation testing (mutmut),
## one table per module; not part of make test. See CONTRIBUTING.md.
MODULES ?= ngograph/net/measures.py ngograph/net/graphs.py
mutation: $(VENV)/.installed-mutation
	nice -n 10 $(BIN)/python tools/mutation.py $(if $(TESTS),--tests $(TESTS)) $(MODULES)

clean:
	rm -rf $(VENV) .ngograph build mutants
