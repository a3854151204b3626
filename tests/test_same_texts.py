"""CXP201 pairs texts that are the same once normalised wherever they sit, at linear cost.

Found by a hostile-PR tester: 200 initiatives of each of two units, all titled "Prefill the
application form from what we already know" on one pain point, gave no finding — above
PAIRWISE_BUDGET only pain points of at most SMALL_BLOCK initiatives are compared in full,
and otherwise a pair needs a distinctive key term (used by at most KEY_DF texts), which
common shared words are not. 199 of each gave one warning. Now texts with the same title
words, or the same title and description words, are proposed as a star around one core
per such text (similarity.same_text_pairs): the cluster comparing every pair finds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import check, write_portfolio
from cxportfolio.rules import duplicates
from cxportfolio.rules import similarity
from cxportfolio.rules.similarity import TextIndex

TITLE = "Prefill the application form from what we already know"
BASE = ("units: [{id: cs, name: Customer service}, {id: other, name: Other}]\n"
        "journeys: [{id: onboarding, name: Onboarding, stages: [{id: apply, name: Apply}]}]\n"
        "pain_points: [{id: PP-long-form, journey: onboarding, stage: apply, title: Long form, severity: 3}]\n")


def _crowd(root: Path, per_unit: int, title=lambda unit, k: TITLE) -> Path:
    files = {"base.yaml": BASE}
    for unit in ("cs", "other"):
        files[f"units/{unit}.yaml"] = f"unit: {unit}\ninitiatives:\n" + "".join(
            f"  - {{id: {unit.upper()}-{k:04}, title: \"{title(unit, k)}\", addresses: [PP-long-form], "
            "status: idea}\n" for k in range(per_unit))
    return write_portfolio(root, files)


def _clusters(root: Path) -> list[tuple[str, ...]]:
    return [f.entities for f in check(root).result.findings if f.code == "CXP201"]


@pytest.mark.parametrize("per_unit", [201, 400])  # 40,401 pairs: dictionaries; 800 texts: the matrices
def test_a_crowded_pain_point_of_the_same_title_is_one_cluster(tmp_path: Path, per_unit: int,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = _crowd(tmp_path / "p", per_unit)
    found = _clusters(root)
    assert len(found) == 1 and len(found[0]) == per_unit + 1  # a core of one unit, and the other unit's
    if per_unit < 300:  # what comparing every pair finds, the same cluster
        monkeypatch.setattr(duplicates, "PAIRWISE_BUDGET", 10**9)
        assert _clusters(root) == found


def test_the_same_text_once_normalised_is_paired_across_the_crowd(tmp_path: Path) -> None:
    """Case, punctuation, digits, glue words, word order and inflection aside, two
    titles among 460 on one pain point whose every word the crowd uses too (in other
    combinations): they are one cluster. Before, nothing proposed the pair."""
    english = ["prefill", "application", "form", "already", "know"]
    norwegian = ["forhåndsutfyll", "søknaden", "dagpenger"]
    rng = random.Random(5)
    crowd = [" ".join(rng.sample(english, rng.randint(1, 4)) + rng.sample(norwegian, rng.randint(1, 2)))
             for _ in range(460)]
    variants = {("cs", 0): "Prefill the application form from what we already know",
                ("other", 0): "KNOW already: prefill (2) application-form",
                ("cs", 1): "Forhåndsutfyll søknaden om dagpenger",
                ("other", 1): "dagpenger: forhåndsutfyll søknader"}
    root = _crowd(tmp_path / "p", 230, title=lambda unit, k: variants.get((unit, k)) or crowd[2 * k + (unit == "cs")])
    found = {tuple(sorted(c)) for c in _clusters(root)}
    assert ("CS-0000", "OTHER-0000") in found and ("CS-0001", "OTHER-0001") in found


@pytest.mark.parametrize("matrix", [False, True])
def test_the_proposed_pairs_are_linear_and_stars(matrix: bool) -> None:
    """Counting, not timing: 3,000 texts of one title across three units make 3 million
    pairs of different units; a star around one core proposes one pair per other-unit
    text, with either kind of index, whatever the order of the texts."""
    n = 3_000 if matrix else 600
    rng = random.Random(7)
    groups = [k % 3 for k in range(n)]
    texts = [(TITLE if k % 5 else TITLE.upper() + "!", "") for k in range(n)]
    ids = [f"I-{k:05}" for k in range(n)]
    pairs = similarity.same_text_pairs(TextIndex(texts, matrix=matrix), groups, ids, n)
    core = 0  # the smallest id of the groups tied for fewest texts
    assert pairs == sorted(core * n + j for j in range(n) if groups[j] != groups[core])
    order = list(range(n))
    rng.shuffle(order)
    shuffled = similarity.same_text_pairs(TextIndex([texts[k] for k in order], matrix=matrix),
                                          [groups[k] for k in order], [ids[k] for k in order], n)
    assert sorted(tuple(sorted((ids[order[c // n]], ids[order[c % n]]))) for c in shuffled) == sorted(
        tuple(sorted((ids[c // n], ids[c % n]))) for c in pairs)


def test_both_kinds_of_index_propose_the_same_pairs() -> None:
    rng = random.Random(3)
    words = ["søknaden", "søknader", "Min side", "the", "pension", "calculator", "form", "status", "og", "for"]
    texts = [(" ".join(rng.choice(words) for _ in range(rng.randint(0, 3))),
              " ".join(rng.choice(words) for _ in range(rng.randint(0, 2)))) for _ in range(400)]
    groups = [rng.randrange(4) for _ in texts]
    ids = [f"X{k}" for k in range(len(texts))]
    lost = 20  # the last texts are lost initiatives': weighed, never paired
    plain = similarity.same_text_pairs(TextIndex(texts), groups, ids, len(texts) - lost)
    assert plain and max(c % len(texts) for c in plain) < len(texts) - lost
    assert similarity.same_text_pairs(TextIndex(texts, matrix=True), groups, ids, len(texts) - lost) == plain
