# The commands of the README. Each creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NGO    := $(BIN)/ngograph

.PHONY: run test test-real test-virtuoso mutation clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# mimalloc, the allocator `ngograph` runs on where the machine has it (ngograph/runtime.py: validation 13 % less time
# and 24 % less memory on the imported store): the Debian package libmimalloc2.0, installed when missing; without
# it ngograph runs on the C library's allocator
MIMALLOC = command -v apt-get >/dev/null && ! ls /usr/lib/*/libmimalloc.so.2 /usr/lib64/libmimalloc.so.2 /usr/lib/libmimalloc.so.2 /usr/local/lib/libmimalloc.so.2 2>/dev/null | grep -q . && { \
	  echo "installing mimalloc, the allocator ngograph runs on (apt-get install -y libmimalloc2.0)" >&2; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo "sudo -n"); \
	  { $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q libmimalloc2.0 || \
	    { $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q libmimalloc2.0; }; } >&2 || \
	  echo "mimalloc could not be installed; ngograph runs on the C library's allocator" >&2; } || true

## the extras every README command needs: igraph (analyze at real scale), serve, extract
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(MIMALLOC)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[fast,serve,extract]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@$(MIMALLOC)
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
	$(NGO) plot --figure brokerage --include-funders --partition group --output build/figures/brokerage
	$(NGO) summary

## make test: the whole test suite (unit, doctests, data, shapes, bad input); installs Chromium (Debian package
## chromium) when it is missing, for the test that opens the site in a real headless browser
test: $(VENV)/.installed-test
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
	  echo "make test: installing Chromium for the browser test (apt-get install -y chromium)" >&2; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo "sudo -n"); \
	  { $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium || \
	    { $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }; } >&2 || \
	  echo "make test: Chromium could not be installed; the browser test will be skipped" >&2; }
	$(BIN)/python -m pytest -q

## make test-real: the opt-in tests marked `real`: whole datasets of ../shared/datasets read and imported, counts checked
test-real: $(VENV)/.installed-test
	@test -d ../shared/datasets || { echo "make test-real: ../shared/datasets is missing (the real datasets)" >&2; exit 2; }
	NGOGRAPH_REAL=1 $(BIN)/python -m pytest -q -m real

## make test-virtuoso: the opt-in tests marked `virtuoso`: a real Virtuoso (installed if missing: the binaries of the Debian package virtuoso-opensource, virtuoso-opensource-7-bin, without the system service) on 127.0.0.1, the graph pushed, every library query compared with the embedded store
test-virtuoso: $(VENV)/.installed-test
	@command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null || { \
	  echo "make test-virtuoso: installing Virtuoso (apt-get install -y virtuoso-opensource-7-bin)" >&2; \
	  $$(test "$$(id -u)" = 0 || echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource-7-bin >&2; }
	NGOGRAPH_VIRTUOSO=1 $(BIN)/python -m pytest -q tests/test_virtuoso.py

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
