"""The portfolio format's words, as hints say them: what an item of each list is called,
and its keys (those of cxportfolio.yaml, those whose value is a number or a list of ids,
every key, the required ones); tests/test_syntax_hints.py keeps them the models'.
"""

from __future__ import annotations

from cxportfolio.load.yaml_reader import LISTS_WITH_IDS


# What an item of each list of the portfolio format is called in a hint.
ITEM_NAMES = {
    "units": "unit", "journeys": "journey", "pain_points": "pain point", "kpis": "KPI",
    "initiatives": "initiative", "goals": "goal", "stages": "stage", "evidence": "evidence entry",
    "measurements": "measurement", "effects": "effect", "realized": "realized entry",
    "allow": "allow entry",
}
# The keys of cxportfolio.yaml, which has no lists: where they are, no list lost its key
# (tests/test_syntax_hints.py keeps them those of model.config.Config).
CONFIG_KEYS = frozenset({"organization", "year", "target", "scoring", "rules"})
PORTFOLIO_KEYS = LISTS_WITH_IDS | {"unit"}  # a portfolio document's own keys
# Keys of the portfolio format whose value is a number (tests/test_syntax_hints.py keeps
# them the models' number fields): a quote left open before a number is to be removed, not
# closed, which would make the number text that validation then refuses.
NUMBER_KEYS = frozenset({"change", "effort", "capacity", "volume", "severity", "reach", "count", "value",
                         "completion", "confidence", "year"})
# Keys of the format whose value is a list of ids: text after a quoted id is more ids.
LIST_KEYS = frozenset({"addresses", "depends_on", "drives", "tradeoffs", "tags"})
# Keys of the format whose value is free text (a name, a title, a remark; tests/test_syntax_hints.py
# keeps them text fields of the models): a text an editor wrapped onto a line that YAML reads
# as a key or a list item is to be one quoted text, not a list or a key.
TEXT_KEYS = frozenset({"title", "name", "description", "note", "source", "reason"})
# Every key of the format (tests/test_syntax_hints.py keeps them the models' fields and the
# top-level keys): a line that begins with one at a key's indent is a key without its ':'
# (`size quick_win`), not a value wrapped from the line above.
FORMAT_KEYS = frozenset({"addresses", "allow", "baseline", "by", "capacity", "change", "completed", "completion",
                         "confidence", "count", "decided", "depends_on", "description", "direction",
                         "downstream_weight", "driver_factor", "drives", "effects", "effort", "effort_floor",
                         "employee", "evidence", "experience", "goals", "id", "improvements", "initiatives",
                         "journey", "journeys", "kind", "kind_weights", "kpi", "kpis", "measurements",
                         "missing_effort", "name", "note", "on", "operational", "organization", "outcome", "owner",
                         "pain_points", "period", "planned", "reach", "realized", "reason", "rule", "rules",
                         "scoring", "severity", "severity_weights", "size", "source", "stage", "stages", "status",
                         "tags", "target", "title", "tradeoffs", "unit", "units", "unlinked_weight", "value",
                         "volume", "year"})
# The keys each mapping of the format must have, by the key of its list or its own key
# (None: a file's top level, where only cxportfolio.yaml has one): a key among them is not
# told it may be left out. `target` is a KPI's {period, value} or the configuration's
# {improvements}: left out, as unsure. tests/test_syntax_hints.py keeps them the models'.
REQUIRED_KEYS: dict[str | None, frozenset[str]] = {
    None: frozenset({"year"}),
    "units": frozenset({"id", "name"}), "journeys": frozenset({"id", "name", "stages"}),
    "stages": frozenset({"id", "name"}), "pain_points": frozenset({"id", "journey", "stage", "title", "severity"}),
    "kpis": frozenset({"id", "name", "kind", "direction"}), "initiatives": frozenset({"id", "title", "status"}),
    "goals": frozenset({"kpi", "direction"}), "evidence": frozenset({"kind"}),
    "measurements": frozenset({"period", "value"}), "baseline": frozenset({"period", "value"}),
    "effects": frozenset({"kpi", "change"}), "realized": frozenset({"kpi", "change"}),
    "allow": frozenset({"rule", "reason"}), "decided": frozenset({"by", "on"}),
    "scoring": frozenset(), "kind_weights": frozenset(), "rules": frozenset(),
}
