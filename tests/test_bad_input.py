"""Bad input: each case gives a clear error naming the file and line, a non-zero exit,
and leaves the previous store and export exactly as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ngograph.cli import main


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def built_once(data_copy, tmp_path):
    """A good build and export, to be kept intact by the bad build that follows."""
    store, export = tmp_path / "state" / "store", tmp_path / "out" / "ngograph.ttl"
    assert main(["build", "--data", str(data_copy), "--store", str(store)]) == 0
    assert main(["export", "--store", str(store), "--output", str(export)]) == 0
    before = (os.readlink(store), sorted(os.listdir(store.parent / "stores")), export.read_bytes())
    return data_copy, store, export, before


def check_bad(built_once, capsys, exit_code: int, expected: list[str]):
    data, store, export, before = built_once
    code = main(["build", "--data", str(data), "--store", str(store)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == exit_code, text
    for piece in expected:
        assert piece in text, f"{piece!r} not in:\n{text}"
    after = (os.readlink(store), sorted(os.listdir(store.parent / "stores")), export.read_bytes())
    assert after == before
    # the old store still answers
    assert main(["summary", "--store", str(store)]) == 0
    assert "projects" in capsys.readouterr().out


def test_malformed_yaml(built_once, capsys):
    f = built_once[0] / "organisations.yaml"
    replace(f, "    name: {en: Danish Red Cross}", "    name: {en: Danish Red Cross")
    check_bad(built_once, capsys, 2, [f"data/organisations.yaml:", "invalid YAML"])


def test_python_tag_refused(built_once, capsys):
    f = built_once[0] / "places.yaml"
    replace(f, "    name: {en: Bergen}", "    name: !!python/object/apply:os.system [echo hacked]")
    check_bad(built_once, capsys, 2, [f"data/places.yaml:{line_of(f, 'python/object')}", "YAML tag refused"])


def test_duplicate_id_across_files(built_once, capsys):
    f = built_once[0] / "projects" / "seed-002.yaml"
    replace(f, "  - id: nlif-institutional-strengthening-2017", "  - id: red-cross-family-inclusion")
    first = line_of(built_once[0] / "projects" / "seed-001.yaml", "- id: red-cross-family-inclusion")
    check_bad(built_once, capsys, 2, [
        f"data/projects/seed-002.yaml:{line_of(f, 'id: red-cross-family-inclusion')}",
        f"duplicate project id 'red-cross-family-inclusion' (first at data/projects/seed-001.yaml:{first})"])


def test_unknown_organisation(built_once, capsys):
    f = built_once[0] / "projects" / "seed-001.yaml"
    replace(f, "associated: [latvian-red-cross-daugavpils]", "associated: [latvian-red-cross-riga]")
    check_bad(built_once, capsys, 2, [f"data/projects/seed-001.yaml:{line_of(f, 'latvian-red-cross-riga')}",
                                      "unknown organisation 'latvian-red-cross-riga'"])


def test_unknown_country(built_once, capsys):
    f = built_once[0] / "organisations.yaml"
    replace(f, "    country: SE\n", "    country: XS\n")
    check_bad(built_once, capsys, 2, [f"data/organisations.yaml:{line_of(f, 'country: XS')}",
                                      "'XS' is not an ISO 3166-1 alpha-2 country code"])


def test_impossible_date(built_once, capsys):
    f = built_once[0] / "projects" / "seed-001.yaml"
    replace(f, "start: 2019-08-15", "start: 2019-02-30")
    check_bad(built_once, capsys, 2, [f"data/projects/seed-001.yaml:{line_of(f, '2019-02-30')}",
                                      "impossible date '2019-02-30'"])


def test_end_before_start(built_once, capsys):
    f = built_once[0] / "projects" / "seed-003.yaml"
    replace(f, "    end: 2013-08", "    end: 2011-08")
    check_bad(built_once, capsys, 1, [f"data/projects/seed-003.yaml:{line_of(f, '- id: minority-participation')}",
                                      "ends before it starts", "sh:SPARQLConstraintComponent"])


def test_negative_grant_amount(built_once, capsys):
    f = built_once[0] / "projects" / "seed-000.yaml"
    replace(f, "role: co-funder, amount: 310000, currency: DKK", "role: co-funder, amount: -310000, currency: DKK")
    check_bad(built_once, capsys, 1, [f"data/projects/seed-000.yaml:{line_of(f, '-310000')}",
                                      "sh:MinInclusiveConstraintComponent", "value -310000",
                                      "the amount awarded is not negative"])


def test_negative_budget_is_allowed(data_copy, tmp_path):
    """Budget revisions are negative in real sources (IATI): a budget may be, a grant may not."""
    replace(data_copy / "projects" / "seed-000.yaml", "budget: {amount: 444550, currency: DKK}",
            "budget: {amount: -444550, currency: DKK}")
    assert main(["build", "--data", str(data_copy), "--store", str(tmp_path / "store")]) == 0


def test_currency_not_iso4217(built_once, capsys):
    f = built_once[0] / "projects" / "seed-000.yaml"
    replace(f, "amount: 310000, currency: DKK", "amount: 310000, currency: DKR")
    check_bad(built_once, capsys, 2, [f"data/projects/seed-000.yaml:{line_of(f, 'DKR')}",
                                      "'DKR' is not an ISO 4217 currency code"])


def test_all_problems_reported_at_once(built_once, capsys):
    f = built_once[0] / "projects" / "seed-000.yaml"
    replace(f, "amount: 310000, currency: DKK", "amount: 310000, currency: DKR")
    replace(f, "start: 2018-09\n", "start: 2018-13\n")
    check_bad(built_once, capsys, 2, ["2 problem(s)", "DKR", "2018-13"])


def test_export_without_store_fails_and_keeps_old_file(tmp_path, capsys):
    out = tmp_path / "old.ttl"
    out.write_text("old\n")
    assert main(["export", "--store", str(tmp_path / "none"), "--output", str(out)]) == 2
    assert "run `ngograph build` first" in capsys.readouterr().err
    assert out.read_text() == "old\n"


def test_amount_without_currency(built_once, capsys):
    f = built_once[0] / "projects" / "seed-000.yaml"
    replace(f, "amount: 310000, currency: DKK}", "amount: 310000}")
    check_bad(built_once, capsys, 2, [f"data/projects/seed-000.yaml:{line_of(f, 'amount: 310000}')}",
                                      "amount and currency go together"])


def test_partner_listed_twice(built_once, capsys):
    f = built_once[0] / "projects" / "seed-001.yaml"
    replace(f, "partner: [belarus-red-cross, danish-red-cross, latvian-red-cross]",
            "partner: [belarus-red-cross, danish-red-cross, danish-red-cross]")
    check_bad(built_once, capsys, 2, [f"data/projects/seed-001.yaml:{line_of(f, 'partner: [belarus')}",
                                      "'danish-red-cross' is listed twice"])
