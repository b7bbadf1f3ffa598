"""The fast engine looks up the locations of the results found so far while its last checks run (on a thread of
its pool, which is free then), and the rest after them: the same results, every focus node asked for."""

from __future__ import annotations

import threading

import pyoxigraph as ox

from ngograph.validate.fast import validate_store

E = "https://example.org/"
DATA = f"""
@prefix schema: <https://schema.org/> .
<{E}a> a schema:MonetaryAmount ; schema:value -5.0 ; schema:currency "EUROS" .
<{E}b> a schema:MonetaryAmount ; schema:currency "EUR" .
<{E}c> a schema:MonetaryAmount ; schema:value 3 ; schema:currency "NOK", "SEK" .
""".encode()


class _Asked:
    """Locations that remember each prefetch: the resources asked and the thread that asked."""

    def __init__(self, known: dict[str, str]):
        self.known, self.prefetched = known, []

    def prefetch(self, iris):
        self.prefetched.append((threading.current_thread() is threading.main_thread(), set(iris)))

    def get(self, iri, default=None):
        return self.known.get(iri, default)


def test_locations_looked_up_on_a_pool_thread_first_then_the_rest():
    store = ox.Store()
    store.load(DATA, ox.RdfFormat.TURTLE)
    known = {f"{E}a": "x.csv:row 2", f"{E}b": "x.csv:row 3", f"{E}c": "x.csv:row 4"}
    asked = _Asked(known)
    report = validate_store(store, locations=asked)
    assert report.results == validate_store(store, locations=known).results
    focus = {r.focus for r in report.results}
    assert focus == {f"{E}a", f"{E}b", f"{E}c"} and {r.location for r in report.results} == set(known.values())
    (first_on_main, first), (last_on_main, last) = asked.prefetched  # once on the pool, once when locating
    assert not first_on_main and last_on_main
    assert first <= focus and last == focus  # located() asks for all; Locations skips those already found
