"""`rank` end to end: golden tables in every format, explain, capacity, journeys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxportfolio.cli import RANK_FORMATS, cli
from cxportfolio.render.rank import RANK_RENDERERS, md_escape

GOLDEN = Path(__file__).parent / "golden" / "ranking"
ROOT = str(GOLDEN / "portfolio")
AS_OF = ["--as-of", "2026-06-30"]
EXT = {"text": "txt", "markdown": "md", "csv": "csv", "json": "json"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["rank", ROOT, *AS_OF, *args])
    return result.exit_code, result.stdout, result.stderr


def test_rank_formats_are_the_renderers() -> None:
    assert set(RANK_FORMATS) == set(RANK_RENDERERS) == set(EXT)


@pytest.mark.parametrize("fmt", sorted(EXT))
@pytest.mark.parametrize("variant", [[], ["--all"], ["--capacity", "30"]], ids=["open", "all", "capacity"])
def test_rank_output_matches_golden(fmt: str, variant: list[str], request: pytest.FixtureRequest) -> None:
    code, out, err = run("--format", fmt, *variant)
    assert code == 0, err
    name = "_".join(["rank", *[v.strip("-") for v in variant]]) + "." + EXT[fmt]
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_open_initiatives_by_default_and_filters() -> None:
    rows = json.loads(run("--format", "json")[1])["rows"]
    assert [r["id"] for r in rows] == ["DIG-2", "RET-2", "RET-1", "DIG-1", "DIG-3"]
    assert all(r["status"] not in ("done", "dropped") for r in rows)
    only = json.loads(run("--format", "json", "--unit", "retail", "--top", "1")[1])["rows"]
    assert [(r["rank"], r["id"]) for r in only] == [(1, "RET-2")]
    cards = json.loads(run("--format", "json", "--journey", "cards")[1])["rows"]
    assert {r["id"] for r in cards} == {"DIG-2", "DIG-3"}


def test_capacity_selection_includes_dependencies_and_fits() -> None:
    document = json.loads(run("--format", "json", "--capacity", "30")[1])
    selected = {r["id"] for r in document["rows"] if r["selected"]}
    assert "DIG-2" not in selected or "DIG-3" in selected
    efforts = {r["id"]: r["effort"] for r in document["rows"]}
    assert sum(efforts[i] for i in selected) <= 30
    assert document["selection"]["method"] == "greedy"  # DIG-2 depends on open DIG-3


def test_explain_shows_every_term() -> None:
    code, out, _ = run("--explain", "RET-1")
    assert code == 0
    for term in ("customers at stage = volume 42000 × upstream completion 0.56 = 23520.0",
                 "severity 4 weight 0.8", "share = value", "nps-mortgage (experience): weight 0.8",
                 "effort = 8 person-weeks", "priority = impact / effort"):
        assert term in out, term


def test_explain_unknown_id_is_a_one_line_usage_error() -> None:
    code, _, err = run("--explain", "RET-9")
    assert code == 2 and err == "cxportfolio: no initiative 'RET-9'; did you mean 'RET-1'?\n"


def test_journeys_by_unaddressed_value() -> None:
    rows = json.loads(run("--by", "journey", "--format", "json")[1])["journeys"]
    assert [r["id"] for r in rows] == ["cards", "mortgage"]  # nothing unaddressed: ties by id
    assert all(r["unaddressed_value"] <= r["total_value"] for r in rows)


def test_markdown_cells_cannot_break_the_table_or_inject_html() -> None:
    assert md_escape("a | b <script>x</script>\nnext") == "a \\| b &lt;script&gt;x&lt;/script&gt; next"
    out = run("--format", "markdown")[1]
    assert "<b>" not in out and "Status tracker &lt;b&gt;now&lt;/b&gt; \\| with pipes" in out
