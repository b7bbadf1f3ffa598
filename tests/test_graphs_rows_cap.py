"""ngograph.net.graphs: what the whole-module mutation run (issue 14) found untested. fetch reads
every row of the network queries (run() caps rows at 100,000 unless told otherwise, and a real
network has more participations than that); shared_projects counts in whole numbers."""

from __future__ import annotations

import numpy as np
from rdflib import Graph

from ngograph.net import graphs as N
from ngograph.store.backends import InMemory

from test_graphs_mutation import TTL


class Recording(InMemory):
    """An in-memory backend that notes the options of each query it runs."""

    def __init__(self, graph):
        super().__init__(graph)
        self.options: list[dict] = []

    def select(self, text, bindings=None, **options):
        self.options.append(options)
        return super().select(text, bindings, **options)


def test_fetch_reads_every_row_without_a_cap():
    backend = Recording(Graph().parse(data=TTL, format="turtle"))
    data = N.fetch(backend)
    assert len(data.rows) == 4 and data.facets and data.projects
    assert len(backend.options) == 5
    assert all(o["max_rows"] is None and o["timeout"] is None for o in backend.options)


def test_shared_projects_counts_in_whole_numbers():
    a, b, w = N.shared_projects({"p1": {"x", "y"}, "p2": {"x", "y", "z"}, "p3": {"z"}}, ["x", "y", "z", "q"])
    assert (a.tolist(), b.tolist(), w.tolist()) == ([0, 0, 1], [1, 2, 2], [2, 1, 1])
    assert w.dtype == np.int64 and all(type(x) is int for x in w.tolist())


def test_a_project_with_several_labels_and_dates_takes_the_least_label_and_the_widest_period():
    ttl = TTL.replace('rdfs:label "P one", "P first" ; schema:startDate "2018-08"^^xsd:gYearMonth ;',
                      'rdfs:label "P one", "P first", "P zed" ; schema:startDate "2018-08"^^xsd:gYearMonth, '
                      '"2017-01"^^xsd:gYearMonth, "2019-05"^^xsd:gYearMonth ;')
    ttl = ttl.replace('schema:endDate "2019"^^xsd:gYear, "2020"^^xsd:gYear ;',
                      'schema:endDate "2019"^^xsd:gYear, "2020"^^xsd:gYear, "2018"^^xsd:gYear ;')
    assert ttl.count("P zed") == 1 and ttl.count('"2018"^^xsd:gYear') == 1
    data = N.fetch(InMemory(Graph().parse(data=ttl, format="turtle")))
    assert data.projects["p1"] == {"label": "P first", "start_date": "2017-01", "end_date": "2020", "last_activity": ""}


def test_short_id_keeps_a_trailing_x_and_network_data_has_no_groups_by_default():
    assert N.short_id("https://example.org/thing/BOX") == "BOX"
    assert N.short_id("https://w3id.org/ngograph/id/organisation/FAX/") == "FAX"
    assert N.short_id("https://w3id.org/ngograph/id/project/cordis/X") == "cordis/X"
    rows = [dict(project="p", organisation="o", role="partner", funding=False, label="o", country="LV", type="")]
    assert N.NetworkData(rows).groups == {} and N.country_groups(N.NetworkData(rows)) == {}
