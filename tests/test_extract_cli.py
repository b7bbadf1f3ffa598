"""``ngograph extract`` as a command: output formats, the evidence, and bad input (one line, exit 2)."""

from __future__ import annotations

import importlib.util
import json

import pytest
import yaml

from ngograph import cli
from ngograph.config import PROJECT_ROOT
from ngograph.records.check import load_records

pytest.importorskip("py3langid")
pytest.importorskip("simplemma")

PAGES = PROJECT_ROOT / "tests" / "fixtures" / "extract"
DATA = PROJECT_ROOT / "data"


def run(capsys, tmp_path, *args):
    code = cli.main(["extract", *map(str, args), "--data", str(DATA), "--store", str(tmp_path / "no-store")])
    out, err = capsys.readouterr()
    return code, out, err


def test_yaml_draft_on_stdout(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, PAGES / "lv-1.txt")
    assert code == 0
    assert "extract: lv-1.txt (lv): 4 organisation(s), 3 new, period 2019-03/2020-02" in err
    draft = yaml.safe_load(out)
    project = draft["projects"][0]
    assert project["participants"] == {"implementer": ["biedriba-vecaku-forums"],
                                       "partner": ["biedriba-kurzemes-jauniesu-centrs", "nodibinajums-drosibas-fonds"]}
    assert project["grants"] == [{"funder": "european-union", "role": "funder"}]
    assert project["budget"] == {"amount": 48500, "currency": "EUR"}
    assert {o["id"]: o.get("country") for o in draft["organisations"]} == {
        "biedriba-vecaku-forums": "LV", "biedriba-kurzemes-jauniesu-centrs": None, "nodibinajums-drosibas-fonds": None}
    # the evidence: confidence, offsets in the page's text, and the quoted text
    line = next(x for x in out.splitlines() if x.strip().startswith("- european-union") or "funder: european-union" in x)
    assert '# 0.90 [' in line and '"Eiropas Savienība"' in line


def test_json_draft_to_a_file_and_the_text_offsets(capsys, tmp_path):
    target = tmp_path / "draft.json"
    code, out, err = run(capsys, tmp_path, PAGES / "en-2.html", "--format", "json", "--output", target)
    assert code == 0 and out == ""
    result = json.loads(target.read_text())
    assert result["language"] == "en"
    assert result["draft"]["projects"][0]["start"] == "2019-09-01"
    code, text, _ = run(capsys, tmp_path, PAGES / "en-2.html", "--text")
    assert code == 0 and "Shadow Holdings" not in text  # the scripts' text is not the page's
    for ev in result["evidence"]:
        assert text[ev["start"]:ev["end"]].split() == ev["text"].split(), ev["path"]


def test_language_given(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, PAGES / "no-2.txt", "--lang", "no")
    assert code == 0 and "(language no, 1.00)" in out


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"   \n\n  ", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a binary file"),
    (b"<html><script>var x = 1;</script><style>p{}</style></html>", "no text left"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, content, message):
    page = tmp_path / "page.html"
    page.write_bytes(content)
    code, out, err = run(capsys, tmp_path, page)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(page) in err and message in err and "Traceback" not in err


def test_a_huge_file_is_refused_before_it_is_read(capsys, tmp_path):
    page = tmp_path / "dump.txt"
    with page.open("wb") as f:  # 50 MB, sparse: the size alone refuses it
        f.truncate(50 * 1024 * 1024)
    code, out, err = run(capsys, tmp_path, page)
    assert code == 2 and "52,428,800 bytes is larger than the 2,000,000 bytes a page may have" in err


def test_missing_file_and_no_output_left_behind(capsys, tmp_path):
    target = tmp_path / "draft.yaml"
    code, out, err = run(capsys, tmp_path, tmp_path / "nope.txt", "--output", target)
    assert code == 2 and "nope.txt: No such file or directory" in err
    assert not target.exists()


def test_a_long_page_finishes(capsys, tmp_path):
    # 1 MB of page-like text: drafted (no hang, no error); its time is in docs/extraction.md
    lines = (PAGES / "en-1.txt").read_text().splitlines() + (PAGES / "lt-2.txt").read_text().splitlines()
    page = tmp_path / "long.txt"
    page.write_text("\n".join(lines[i % len(lines)] for i in range(25_000))[:1_000_000])
    code, out, err = run(capsys, tmp_path, page, "--output", tmp_path / "d.yaml")
    assert code == 0 and "extract: long.txt" in err


def test_help_has_an_example(capsys):
    with pytest.raises(SystemExit):
        cli.main(["extract", "--help"])
    assert "ngograph extract page.html --lang lv --output draft.yaml" in capsys.readouterr().out


def test_a_draft_of_known_organisations_loads_as_curated_data(capsys, tmp_path, data_copy):
    page = tmp_path / "page.txt"
    page.write_text('Project "Families Together"\nProject period: May 2019 – April 2021\n'
                    "The project is implemented in partnership between the Danish Red Cross and the Latvian Red Cross.\n"
                    "The project is funded by the Nordic Council of Ministers.\n")
    target = data_copy / "projects" / "draft.yaml"
    code, out, err = run(capsys, tmp_path, page, "--output", target)
    assert code == 0
    text = target.read_text().replace("source: draft-page", "source: seed-001")  # the curator names the source
    target.write_text(text)
    records = load_records(data_copy)
    assert records.by_type["project"]["families-together"]["participants"] == {
        "partner": ["danish-red-cross", "latvian-red-cross"]}
    assert "# countries as read: danish-red-cross DK, latvian-red-cross LV" in text


def test_without_the_extra_one_line(capsys, tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "simplemma" else real(name, *a))
    code, out, err = run(capsys, tmp_path, PAGES / "en-1.txt")
    assert code == 2 and err == ("ngograph extract: the extract extra is not installed (missing simplemma): "
                                 "pip install -e '.[extract]' in a checkout, pip install 'dist/ngograph-*.whl[extract]' with the wheel\n")
