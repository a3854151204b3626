"""Hostile-but-bounded input costs work in proportion to its size (SECURITY.md, bounded work).

Each test compares the same work at two sizes with a generous factor (for four times the
input, linear work grows four times, quadratic work sixteen), the best of a few runs where
the work is cheap to repeat, so that a busy machine slows one run, not the ratio. The
figures are printed (`pytest -s`).
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import check, write_portfolio
from cxportfolio.engine import Selection

GROWTH = 8  # for four times the input: linear is 4, quadratic 16


def _best_of(runs: int, work: Callable[[], object]) -> float:
    """The least CPU time of `runs` runs, without the collector: in a long test session its
    passes over everything the session keeps alive would be timed too. CPU time, not the
    wall clock: other processes busy on the machine slow the clock, not the work."""
    best = math.inf
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def _same_titles(root: Path, many: int) -> Path:
    """`many` initiatives of four units with one title on one pain point: one CXP201 cluster."""
    units = ("a", "b", "c", "d")
    lines = ["units: [" + ", ".join(f"{{id: {u}, name: {u.upper()}}}" for u in units) + "]",
             "journeys: [{id: j, name: J, stages: [{id: s, name: S}]}]",
             "pain_points: [{id: P, journey: j, stage: s, title: Pain, severity: 2}]",
             "initiatives:"]
    lines += [f"  - {{id: I{n:05d}, unit: {units[n % 4]}, title: Freeze the card with one tap, addresses: [P], "
              f"status: {'done, completed: 2026-01-05' if n % 10 == 0 else 'idea'}}}" for n in range(many)]
    return write_portfolio(root, {"all.yaml": "\n".join(lines) + "\n"})


def test_a_cluster_of_thousands_of_duplicates_is_said_in_linear_time(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a hostile pull request: the cluster's hit told its done members from the
    open ones by searching the open ones' list for each member, so one cluster of 40,000
    took 17 s to check (4 s without the search). The open ones are a set now."""
    from cxportfolio.rules import duplicates

    spent: list[float] = []
    hit = duplicates._hit

    def timed(*args: object) -> object:
        start = time.process_time()
        said = hit(*args)
        spent.append(time.process_time() - start)
        return said

    monkeypatch.setattr(duplicates, "_hit", timed)
    seconds = {}
    for many in (2_000, 16_000):
        root = _same_titles(tmp_path / str(many), many)
        spent.clear()
        findings = [f for f in check(root, selection=Selection(select=("CXP201",))).result.findings
                    if f.code == "CXP201"]
        assert len(findings) == 1 and len(findings[0].entities) > many // 2
        seconds[many] = sum(spent)
    print(f"\none cluster of 2,000: {seconds[2_000]:.3f} s, of 16,000: {seconds[16_000]:.3f} s")
    assert seconds[16_000] <= 3 * 8 * seconds[2_000]  # eight times the members: linear 8, quadratic 64


def test_a_cluster_of_thousands_of_members_is_tabled_in_linear_time() -> None:
    """`rank --by cluster` marked each done member by searching the open members' list:
    a cluster of 40,000 took 17 s to table. Said the same, in linear time."""
    from cxportfolio.analysis.consolidation import Consolidation
    from cxportfolio.render.clusters import clusters

    def cluster(many: int) -> Consolidation:
        members = tuple(f"I{n:05d}" for n in range(many))
        return Consolidation(members=members, units=("a", "b"), owner="a", journeys=("j",), pain_points=("P",),
                             separate_effort=0, shared_effort=0, without_effort=(),
                             open_members=members[::2])

    small, large = cluster(5_000), cluster(20_000)
    assert clusters([small], "csv").count(" (done)") == 2_500
    seconds = {many: _best_of(3, lambda c=c: [clusters([c], fmt) for fmt in ("csv", "json")])
               for many, c in ((5_000, small), (20_000, large))}
    print(f"\na cluster of 5,000 tabled in {seconds[5_000]:.4f} s, of 20,000 in {seconds[20_000]:.4f} s")
    assert seconds[20_000] <= GROWTH * seconds[5_000] + 0.02


def _grows_linearly(prepare: Callable[[int], Callable[[], object]], what: str, few: int = 2_000) -> None:
    """The work `prepare(many)` returns grows within GROWTH from `few` to four times as many."""
    seconds = {}
    for many in (few, 4 * few):
        work = prepare(many)
        seconds[many] = _best_of(3, work)
    print(f"\n{what}: {few:,} in {seconds[few]:.3f} s, {4 * few:,} in {seconds[4 * few]:.3f} s")
    assert seconds[4 * few] <= GROWTH * seconds[few] + 0.1  # (a tenth of a second: timing noise)


def test_reader_problems_on_thousands_of_top_level_keys_are_placed_in_linear_time(tmp_path: Path) -> None:
    """Found by a hostile pull request: the key of a finding the reader makes (a refused
    tag, a repeated key) found its place by scanning the keys of each mapping on the way,
    again for each finding, so 8,000 `x-aN: !custom N` took 14 s to check. Each mapping's
    keys are ordered once per file now."""

    def prepare(many: int) -> Callable[[], object]:
        root = write_portfolio(tmp_path / str(many), {"a.yaml": "unit: a\nunits: [{id: a, name: A}]\n" + "".join(
            f"x-a{n}: !custom {n}\n" for n in range(many))})

        def work() -> None:
            tags = [f for f in check(root).result.findings if f.code == "CXP001"]
            assert len(tags) == many and tags[-1].location.line == many + 2

        return work

    _grows_linearly(prepare, "refused tags under as many top-level keys")


def test_a_refused_value_anchored_under_thousands_of_keys_is_placed_in_linear_time() -> None:
    """An alias of a refused value anchored in an `x-` mapping is said at the anchor: its
    place was found by scanning the mapping's keys, again for each anchor, so 8,000
    anchors under `x-defaults:` took 42 s to validate (7 s now). The keys are ordered once."""
    from cxportfolio.load.yaml_reader import parse_text
    from cxportfolio.model.validate import validate_document

    def prepare(many: int) -> Callable[[], object]:
        text = ("unit: a\nx-defaults:\n" + "".join(f"  e{n}: &e{n} '5'\n" for n in range(many)) + "initiatives:\n"
                + "".join(f"  - {{id: I{n}, title: Plan, status: idea, effort: *e{n // 2}}}\n"
                          for n in range(2 * many)))
        parsed = parse_text(text)

        def work() -> None:
            problems = validate_document("a.yaml", parsed.data, aliased=parsed.aliased).problems
            assert len(problems) == many and problems[-1].pointer == ("x-defaults", f"e{many - 1}")

        return work

    _grows_linearly(prepare, "refused values anchored under as many keys", few=1_000)


def test_numbers_and_comments_of_a_file_of_thousands_of_keys_are_placed_in_linear_time() -> None:
    """`effort: 1.500` (CXP108) and `effort: # later` are found where the reader kept
    them as written: each was placed by scanning the keys of each mapping on the way,
    so 8,000 of them below 8,000 top-level keys took a minute to check."""
    from cxportfolio.load.portfolio_files import LoadedFile
    from cxportfolio.load.yaml_reader import parse_text
    from cxportfolio.model.portfolio import commented_values, dotted_numbers

    def prepare(many: int) -> Callable[[], object]:
        text = ("unit: a\n" + "".join(f"x-a{n}: 1\n" for n in range(many)) + "initiatives:\n"
                + "".join(f"  - id: I{n}\n    effort: 1.500\n    size: # later\n" for n in range(many)))
        file = LoadedFile("a.yaml", parse_text(text))

        def work() -> None:
            dotted, commented = list(dotted_numbers(file)), list(commented_values(file))
            assert len(dotted) == len(commented) == many
            assert dotted[-1][1] == ("initiatives", many - 1, "effort")
            assert commented[-1][1] == ("initiatives", many - 1, "size")

        return work

    _grows_linearly(prepare, "numbers and comments below as many keys")


def test_a_journey_of_thousands_of_stages_is_checked_ranked_and_reported_in_linear_time(tmp_path: Path) -> None:
    """Found by a hostile pull request: a journey of 8,000 stages, a pain point on each,
    took 74 s to report (its map sorted every pain point again for each stage) and 20 s
    to rank and check (each pain point listed the journey's stages again: its value, and
    CXP103). Each journey's stages are listed once now."""
    from cxportfolio.analysis.ranking import RankingModel
    from cxportfolio.analysis.report_data import build_report

    def prepare(many: int) -> Callable[[], object]:
        lines = ["units: [{id: a, name: A}]", "journeys:", "  - id: j", "    name: J", "    volume: 1000",
                 "    stages:", *(f"      - {{id: s{n}, name: Stage {n}, completion: 0.9999}}" for n in range(many)),
                 "pain_points:", *(f"  - {{id: P{n}, journey: j, stage: s{n}, title: Pain {n}, severity: {n % 5 + 1}}}"
                                   for n in range(many)),
                 "initiatives:", *(f"  - {{id: I{n}, unit: a, title: Fix {n}, status: approved, effort: 2, "
                                   f"addresses: [P{n}]}}" for n in range(many))]
        root = write_portfolio(tmp_path / str(many), {"all.yaml": "\n".join(lines) + "\n"})

        def work() -> None:
            run = check(root, selection=Selection(select=("CXP103",)))
            assert not [f for f in run.result.findings if f.code == "CXP103"]
            values = RankingModel(run.portfolio).pain_values
            assert len(values) == many and values["P1"].upstream_completion == 0.9999
            journey, = build_report(run, run.as_of, None).journeys
            assert journey.pains_by_stage[f"s{many - 1}"] == ((f"P{many - 1}", (many - 1) % 5 + 1, f"Pain {many - 1}"),)

        return work

    _grows_linearly(prepare, "a journey of as many stages", few=1_000)


def test_alike_stages_are_looked_for_in_a_bounded_number_of_unknown_stages(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a hostile pull request: each unknown stage (CXP103) searched every stage
    of its journey for the one meant, twice (the hint, the related stages), so 4,000
    unknown stages of a journey of 4,000 took 12 s to check (quadratic). The first
    MAX_SEARCHED_REFERENCES are searched, as unknown ids are (CXP102); the others say so."""
    from cxportfolio.rules import integrity

    stages = ", ".join(f"{{id: stage-{n}, name: Stage {n}}}" for n in range(50))
    lines = [f"journeys: [{{id: j, name: J, stages: [{stages}]}}]", "pain_points:"]
    lines += [f"  - {{id: P{n}, journey: j, stage: stage-{n % 50}x, title: Pain {n}, severity: 2}}" for n in range(600)]
    root = write_portfolio(tmp_path / "p", {"pains.yaml": "\n".join(lines) + "\n"})
    searched: list[str] = []
    original = integrity.most_alike
    monkeypatch.setattr(integrity, "most_alike", lambda stage, ids: searched.append(stage) or original(stage, ids))
    unknown = [f for f in check(root, selection=Selection(select=("CXP103",))).result.findings if f.code == "CXP103"]
    assert len(unknown) == 600 and len(searched) == integrity.MAX_SEARCHED_REFERENCES
    assert unknown[0].hint == "did you mean 'stage-0'?"  # the first are searched as before
    assert unknown[0].related_labels == ("journey j: stage stage-0",)
    assert unknown[-1].hint == ("use one of the journey's stage ids (the stages alike are looked for in the first "
                                "500 unknown stages only)")
    assert unknown[-1].related_labels[:2] == ("journey j: stage stage-0", "journey j: stage stage-1")


def test_stage_ids_written_as_numbers_in_a_journey_of_thousands_are_hinted_in_linear_time(tmp_path: Path) -> None:
    """Found by a hostile pull request: a stage whose id is a number is told the ids of
    the stages around it, nearest first, and their distance was found by searching the
    journey's stages for each stage, for each such mistake (cubic: a journey of 4,000
    stages, one in forty a number, took 26 s to check). Each stage's place is known now,
    and the work grows with the stages and the mistakes, no faster."""

    def prepare(many: int) -> Callable[[], object]:
        stages = "".join(f"      - {{id: {100_000 + n if n % 200 == 0 else f'stage-{n}'}, name: Stage {n}}}\n"
                         for n in range(many))
        root = write_portfolio(tmp_path / str(many), {"journeys.yaml": "journeys:\n  - id: j\n    name: J\n"
                                                                       "    stages:\n" + stages})

        def work() -> None:
            hints = [f.hint for f in check(root).result.findings if f.code == "CXP002"]
            last = (many - 1) // 200 * 200
            assert len(hints) == last // 200 + 1
            assert hints[-1].startswith("an id is text: write it as the stages' ids around it are written ('stage-")
            assert hints[-1].endswith(f"e.g. id: stage-{100_000 + last}")

        return work

    _grows_linearly(prepare, "a journey of as many stages, one in 200 a number", few=1_000)


def test_the_values_of_pain_points_on_a_journey_of_thousands_of_stages_cost_linear_work(tmp_path: Path) -> None:
    """Found by a hostile pull request: each pain point's value multiplied the completions
    of every stage before and after its own, so a journey of 20,000 stages with a pain
    point on each cost 200 million multiplications to rank. The products before and after
    each stage are taken once per journey now; the value is the same product (its last
    bits may differ, as the order of multiplying from the journey's end does)."""
    import math

    from cxportfolio.analysis.ranking import RankingModel

    def prepare(many: int) -> Callable[[], object]:
        completions = [0.5 + (n % 50) / 100 for n in range(many)]
        lines = ["units: [{id: a, name: A}]", "journeys:", "  - id: j", "    name: J", "    volume: 1000",
                 "    stages:", *(f"      - {{id: s{n}, name: Stage {n}, completion: {c}}}"
                                   for n, c in enumerate(completions)),
                 "pain_points:", *(f"  - {{id: P{n}, journey: j, stage: s{n}, title: Pain {n}, severity: 3}}"
                                   for n in range(many))]
        portfolio = check(write_portfolio(tmp_path / str(many), {"all.yaml": "\n".join(lines) + "\n"})).portfolio

        def work() -> None:
            values = RankingModel(portfolio).pain_values
            assert len(values) == many
            for n in (0, 1, many // 2, many - 1):
                assert values[f"P{n}"].upstream_completion == math.prod(completions[:n])
                assert math.isclose(values[f"P{n}"].tail_completion, math.prod(completions[n + 1:]),
                                    rel_tol=1e-12, abs_tol=1e-300)

        return work

    _grows_linearly(prepare, "pain points on as many stages", few=5_000)


def test_proposals_on_a_journey_of_thousands_of_stages_cost_linear_work(tmp_path: Path) -> None:
    """Found in review: a consolidation proposal valued each pain point by listing its
    journey's stages again and multiplying the completions before it, so proposals for
    4,000 clusters on a journey of 4,000 stages, a pain point on each, took 2 s, and 16,000
    would take 30 (quadratic). Each journey's stage places and the share of its customers
    reaching each stage are taken once now (`Journey.reaching`), the same floats as
    `math.prod`."""
    import math

    from cxportfolio.analysis.consolidation import Pains, propose

    def prepare(many: int) -> Callable[[], object]:
        completions = [0.5 + (n % 50) / 100 for n in range(many)]
        lines = ["units: [{id: a, name: A}, {id: b, name: B}]", "journeys:", "  - id: j", "    name: J",
                 "    volume: 1000", "    stages:",
                 *(f"      - {{id: s{n}, name: Stage {n}, completion: {c}}}" for n, c in enumerate(completions)),
                 "pain_points:", *(f"  - {{id: P{n}, journey: j, stage: s{n}, title: Pain {n}, severity: 2, "
                                   f"reach: 0.5}}" for n in range(many)),
                 "initiatives:", *(f"  - {{id: {u}{n}, unit: {u.lower()}, title: Fix {n}, status: idea, "
                                   f"effort: 2, addresses: [P{n}{', P0' if u == 'B' else ''}]}}"
                                   for n in range(many) for u in "AB")]
        portfolio = check(write_portfolio(tmp_path / str(many), {"all.yaml": "\n".join(lines) + "\n"}),
                          selection=Selection(select=("CXP001",))).portfolio

        def work() -> None:
            values = Pains(portfolio)  # as a check's proposals share it
            for n in range(many):
                proposal = propose(portfolio, [f"A{n}", f"B{n}"], values)
                assert proposal.owner == ("a" if n == 0 else "b")  # b's P0 besides (a tie on P0 itself)
            for n in (0, 1, many - 1):
                assert values[f"P{n}"] == ("j", 1000 * math.prod(completions[:n]) * 0.5 * 2)
        return work

    _grows_linearly(prepare, "proposals on as many stages", few=1_000)


def test_figures_resting_on_thousands_of_refused_sharers_cost_linear_work(tmp_path: Path) -> None:
    """Found in review: each row resting on work whose status was refused listed every
    such initiative on its pain point, so 8,000 ranked and 8,000 refused on one pain point
    took 15 s to rank (2,000 and 2,000: 1.2 s). A row names the first MAX_RESTING by id,
    and says there are more."""
    from cxportfolio.analysis.ranking import MAX_RESTING, RankingModel

    def prepare(many: int) -> Callable[[], object]:
        lines = ["units: [{id: a, name: A}]",
                 "journeys: [{id: j, name: J, volume: 1000, stages: [{id: s, name: S}]}]",
                 "pain_points: [{id: P, journey: j, stage: s, title: Pain, severity: 3}]", "initiatives:",
                 *(f"  - {{id: R{k:05}, unit: a, title: Refused {k}, status: zzz, addresses: [P]}}" for k in range(many)),
                 *(f"  - {{id: I{k:05}, unit: a, title: Fix {k}, status: idea, effort: 2, addresses: [P]}}"
                   for k in range(many))]
        portfolio = check(write_portfolio(tmp_path / str(many), {"all.yaml": "\n".join(lines) + "\n"}),
                          selection=Selection(select=("CXP001",))).portfolio

        def work() -> None:
            model = RankingModel(portfolio)
            scores = [model.score(i) for i in portfolio.initiatives if i.id.startswith("I")]
            assert len(scores) == many and all(s.resting_more for s in scores)
            assert scores[0].resting_on == tuple(f"R{k:05}" for k in range(MAX_RESTING))
        return work

    _grows_linearly(prepare, "rows resting on as many refused sharers", few=1_000)
