"""Each rule reads only the entity fields it declares (`Rule.reads`).

The language server reruns a rule after an edit only when a field it declares changed
(cxportfolio/changes.py): a rule reading an undeclared field would show stale findings.
Here every rule runs on the shipped examples and on every fixture case of every rule,
with the entities recording each field read; a second test edits one value at a time in
an example and holds a remembering session to what a fresh one finds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_of_example, write_portfolio
from cxportfolio.changes import changed_fields
from cxportfolio.load import load_files
from cxportfolio.lsp.session import Session
from cxportfolio.memo import Memo
from cxportfolio.model.entities import Entity
from cxportfolio.model.portfolio import Portfolio, build_portfolio
from cxportfolio.rules import REGISTRY, RuleContext

AS_OF = dt.date(2026, 6, 30)
EXAMPLES = Path(__file__).resolve().parents[1] / "portfolios"
FIXTURES = Path(__file__).parent / "fixtures" / "rules"
DECLARED = sorted(code for code, rule in REGISTRY.items() if rule.check is not None and rule.reads is not None)


def _portfolios(tmp: Path) -> Iterator[Path]:
    yield from sorted(p for p in EXAMPLES.iterdir() if (p / "cxportfolio.yaml").is_file())
    n = 0
    for path in sorted(FIXTURES.glob("CXP*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            if case.get("latin1"):
                continue
            n += 1
            yield write_portfolio(tmp / f"case{n}", case["files"], case.get("config", "year: 2026\n"))


def _reads_of(code: str, root: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The "Kind.field" names rule `code` reads on the portfolio at `root`, from a fresh
    portfolio (its indexes are built inside the rule, so what they read counts)."""
    loaded = load_files(root)
    portfolio, _ = build_portfolio(loaded, {c: r.options for c, r in REGISTRY.items()})
    seen: set[str] = set()
    plain = object.__getattribute__

    def recording(self: Entity, name: str) -> object:
        fields = type(self).model_fields
        if name in fields and name != "id":
            seen.add(f"{type(self).__name__}.{name}")
        elif name == "mentions":
            seen.add(f"{type(self).__name__}.mentions")
        elif name == "unit_inherited":
            seen.add(f"{type(self).__name__}.unit")
        elif name in ("invalid_fields", "whole"):
            seen.add(f"{type(self).__name__}.*")  # any refused field: no rule may depend on that
        return plain(self, name)

    def is_partial(self: Entity, *names: str) -> bool:
        seen.update(f"{type(self).__name__}.{n}" for n in names or ("*",))
        return bool(set(plain(self, "invalid_fields")) & set(names)) if names else bool(plain(self, "invalid_fields"))

    def portfolio_read(self: Portfolio, name: str) -> object:
        if name in ("dotted", "commented"):  # how values were written, not an entity's field (changes.py)
            seen.add(f"Portfolio.{name}")
        return plain(self, name)

    with monkeypatch.context() as patch:
        patch.setattr(Entity, "__getattribute__", recording)
        patch.setattr(Entity, "is_partial", is_partial)
        patch.setattr(Portfolio, "__getattribute__", portfolio_read)
        rule = REGISTRY[code]
        assert rule.check is not None
        list(rule.check(RuleContext(portfolio, AS_OF, portfolio.rules.options)))
    return seen


@pytest.mark.parametrize("code", DECLARED)
def test_a_rule_reads_only_what_it_declares(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    declared = REGISTRY[code].reads
    assert declared is not None
    read: set[str] = set()
    for root in _portfolios(tmp_path):
        read |= _reads_of(code, root, monkeypatch)
    assert read <= declared, f"{code} reads {sorted(read - declared)} without declaring them"
    assert read, f"{code} read no field at all on the examples and fixtures: the recording is broken"


def test_the_recording_sees_an_undeclared_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # CXP501 reads efforts: were it declared without them, the test above would fail.
    root = next(_portfolios(tmp_path))
    assert "Initiative.effort" in _reads_of("CXP501", root, monkeypatch)
    assert "Initiative.effort" not in _reads_of("CXP301", root, monkeypatch)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_example(tmp_path_factory, "reads")


def test_changed_fields_names_the_edited_value_only(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = copy_of_example(tmp_path_factory, "changes")
    memo = Memo()
    options = {c: r.options for c, r in REGISTRY.items()}
    before, _ = build_portfolio(load_files(root, None, memo.parse), options, memo)
    memo.end_check()
    unit = sorted((root / "units").glob("*.yaml"))[0]
    text = unit.read_text(encoding="utf-8")
    unit.write_text(re.sub(r"effort: (\d+)", lambda m: f"effort: {int(m.group(1)) + 1}", text, count=1),
                    encoding="utf-8")
    after, _ = build_portfolio(load_files(root, None, memo.parse), options, memo)
    assert changed_fields(before, after) == {"Initiative.effort"}
    assert changed_fields(after, after) == frozenset()
    memo.end_check()
    unit.write_text(text.replace("initiatives:", "initiatives:\n  - {id: NEW-1, title: T, status: idea}", 1),
                    encoding="utf-8")
    moved, _ = build_portfolio(load_files(root, None, memo.parse), options, memo)
    assert changed_fields(after, moved) is None  # a new entity: every rule again


def test_a_refused_title_written_otherwise_changes_the_title(tmp_path_factory: pytest.TempPathFactory) -> None:
    """CXP201 weighs a refused title's words as written: the language server must run it
    again when they change, though the title is refused (None) on both sides."""
    root = copy_of_example(tmp_path_factory, "refused-title")
    unit = root / "units" / "retail.yaml"
    options = {c: r.options for c, r in REGISTRY.items()}
    memo = Memo()

    def check(title: str) -> Portfolio:
        text = re.sub(r"(  - id: RET-005\n    title: ).*\n", lambda m: m.group(1) + title + "\n",
                      unit.read_text(encoding="utf-8"))
        unit.write_text(text, encoding="utf-8")
        portfolio, _ = build_portfolio(load_files(root, None, memo.parse), options, memo)
        memo.end_check()
        return portfolio

    first = check("[Mortgage price comparison]")
    second = check("[Mortgage price comparison with the neighbours' banks]")
    assert second.by_id["RET-005"].title is None and second.by_id["RET-005"].is_partial("title")
    assert "Initiative.title" in (changed_fields(first, second) or ())
    assert changed_fields(second, check("[Mortgage price comparison with the neighbours' banks]")) == frozenset()



def test_an_edit_reads_the_refused_values_of_the_item_it_changed_alone(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in review: to tell whether a refused value was written otherwise, every edit
    read each refused value of every entity of the edited file as written, looking up the
    field each misspelt key meant: in a file of 10,000 initiatives with `effort: lots`,
    each keystroke's check took 2 s more per side. The items are compared first."""
    memo = Memo()
    options = {c: r.options for c, r in REGISTRY.items()}
    unit = tmp_path / "units" / "a.yaml"

    def check(title: str) -> Portfolio:
        write_portfolio(tmp_path, {"units/a.yaml": "unit: a\nunits: [{id: a, name: A}]\ninitiatives:\n" + "".join(
            f"  - {{id: A-{k}, title: {title if k == 7 else f'Plan {k}'}, status: idea, effort: lots}}\n"
            for k in range(300))})
        portfolio, _ = build_portfolio(load_files(tmp_path, None, memo.parse), options, memo)
        memo.end_check()
        return portfolio

    first, second = check("Chat"), check("Chat bot")
    assert unit.is_file() and all(i.is_partial("effort") for i in second.initiatives)
    read: list[str] = []
    written = Portfolio.written
    monkeypatch.setattr(Portfolio, "written", lambda self, entity, name: read.append(entity.id) or written(
        self, entity, name))
    assert changed_fields(first, second) == frozenset({"Initiative.title"})
    assert read == ["A-7", "A-7"]  # its refused effort, on each side: the same


# One value of one entity edited at a time, to another value of the same type, in place:
# the edits a rule that reads undeclared fields would answer wrongly.
SCALAR = re.compile(r"^(\s*(?:- )?)(\w+): ([^\n\[{]+)$", re.M)


def _variants(value: str) -> list[str]:
    value = value.strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        number = float(value)
        return [str(int(number) + 1) if "." not in value else str(number * 2), "0", str(-int(number) - 1)]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return ["2026-01-15", "2027-12-31"]
    return ["done", "dropped", "in_progress", "approved", "idea", "increase", "decrease", "operational",
            "assumption", "survey", value + " x", "Min side"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 20)), min_size=1, max_size=5))
def test_a_remembering_session_follows_single_value_edits(picks: list[tuple[int, int]], example: Path) -> None:
    root = example  # edited in the sessions' buffers only
    files = sorted([*root.glob("*.yaml"), *root.glob("units/*.yaml")])
    kept, fresh = Session(root, AS_OF), Session(root, AS_OF)
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    kept.buffers.update(texts)
    kept.check()
    for where, which in picks:
        path = files[where % len(files)]
        scalars = list(SCALAR.finditer(texts[path]))
        if not scalars:
            continue
        match = scalars[where % len(scalars)]
        if match.group(2) == "id":
            continue  # an id is the portfolio's shape: every rule runs again anyway
        options = _variants(match.group(3))
        texts[path] = (texts[path][:match.start(3)] + options[which % len(options)] + texts[path][match.end(3):])
        for session in (kept, fresh):
            session.buffers[path] = texts[path]
        fresh.memo = Memo()
        remembered, anew = kept.check(), fresh.check()
        assert remembered.run.result.findings == anew.run.result.findings, (path.name, match.group(0))
        assert remembered.run.result.summary == anew.run.result.summary


def test_each_rule_has_the_metadata_it_declares() -> None:
    """Regression: a field added to `Rule` shifted the decorator's positional arguments
    (every rule with `reads` became heavy, and its `reads` a bool), which the language
    server's rerunning tripped over: what a rule declares is what it has."""
    checked = {code: rule for code, rule in REGISTRY.items() if rule.check is not None}
    assert {code for code, rule in checked.items() if rule.heavy} == {"CXP201"}
    assert {code for code, rule in checked.items() if rule.absence} == {"CXP102", "CXP502"}
    assert {code for code, rule in checked.items() if rule.silent_on} == {
        "CXP102", "CXP201", "CXP202", "CXP301", "CXP304", "CXP401", "CXP402", "CXP501", "CXP502"}
    assert all(isinstance(rule.reads, frozenset) and rule.reads for rule in checked.values())


def test_a_number_written_otherwise_is_followed(tmp_path: Path) -> None:
    """CXP108 reads how a number was written, not the number: `volume: 1.200` made `1.2`
    changes no entity's field, and the language server's warning must go all the same
    (and come back with `1.200`)."""
    text = "journeys:\n  - id: j\n    name: J\n    volume: 1.200\n    stages: [{id: s, name: S}]\n"
    root = write_portfolio(tmp_path / "p", {"j.yaml": text})
    session = Session(root, AS_OF)

    def warned(written: str) -> list[str]:
        session.buffers[root / "j.yaml"] = text.replace("1.200", written)
        return [f.message for f in session.check().run.result.findings if f.code == "CXP108"]

    assert warned("1.200") == ["`volume: 1.200` is read as 1.2 (journey j)"]
    assert warned("1.2") == []
    assert warned("1.200") == ["`volume: 1.200` is read as 1.2 (journey j)"]


def _session_told(tmp_path: Path, text: str, old: str, code: str) -> Callable[[str], list[str]]:
    """A language server's session of a portfolio of one file, `text`: what its check says
    under `code` once `old` in the buffer is written as the value given, edit after edit."""
    root = write_portfolio(tmp_path / "p", {"a.yaml": text})
    session = Session(root, AS_OF)

    def told(written: str) -> list[str]:
        session.buffers[root / "a.yaml"] = text.replace(old, written)
        return [f.message for f in session.check().run.result.findings if f.code == code]
    return told


def test_a_value_read_as_a_comment_is_followed(tmp_path: Path) -> None:
    """CXP109 reads what the reader kept of a value left empty before a comment: `effort:
    #6` made `effort:` changes no entity's field (null both times), and the language
    server's warning must go all the same (and come back)."""
    text = "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n  - id: I-1\n    title: T\n    status: idea\n" \
           "    effort: #6\n"
    warned = _session_told(tmp_path, text, "#6", "CXP109")
    said = ["`effort: #6` is read as empty: YAML reads `#6` as a comment (initiative I-1)"]
    assert warned("#6") == said
    assert warned("") == []
    assert warned("#6") == said


def test_the_kpi_of_a_refused_effect_is_followed(tmp_path: Path) -> None:
    """CXP102 follows the `kpi` of an effect refused whole (`confidence: 1.5`), which is in
    no entity's `effects`: a misspelling corrected there changes no field's value, and the
    language server's error must go all the same (and come back)."""
    text = ("units: [{id: u, name: U}]\nkpis: [{id: nps, name: N, kind: outcome, direction: increase}]\n"
            "initiatives:\n  - id: I-1\n    unit: u\n    title: T\n    status: idea\n"
            "    effects: [{kpi: npx, change: 2, confidence: 1.5}]\n")
    told = _session_told(tmp_path, text, "npx", "CXP102")
    said = ["effects[0].kpi names unknown KPI 'npx' (initiative I-1)"]
    assert told("npx") == said
    assert told("nps") == []
    assert told("npx") == said
