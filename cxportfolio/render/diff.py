"""`diff` output: a PR comment in Markdown, plain text, or JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cxportfolio.analysis.change import EntityChange, PortfolioChange
from cxportfolio.analysis.tracking import TargetStatus, absent_target
from cxportfolio.model.finding import Finding, Severity
from cxportfolio.records import record
from cxportfolio.render.neutral import dumps_json, md_escape, one_line, path_text, printable
from cxportfolio.render.options import from_inside
from cxportfolio.render.text import plural
from cxportfolio.rules.base import MAX_NAMED, named

VERSION = 1
NO_CHANGE = "No changes to entities or findings."


@record
class DiffPaths:
    """How to reach each side's portfolio root from where `diff` runs (options.prefix_from;
    "" when it runs there), as `check` prints paths: a new finding lies in the head's files,
    a resolved one in the base's. JSON keeps paths relative to the portfolio root (docs/ci.md, JSON for programs)."""

    head: str = ""
    base: str = ""
    head_inside: str = ""  # where diff runs, inside the head's root (RenderOptions.path_inside)
    base_inside: str = ""

    def at_head(self, file: str) -> tuple[str, str]:
        """A file of the head as `check` names it: a prefix and the rest (options.from_inside)."""
        return from_inside(self.head, file, self.head_inside)

    def at_base(self, file: str) -> tuple[str, str]:
        return from_inside(self.base, file, self.base_inside)


def _forecast_lines(change: PortfolioChange) -> list[str]:
    b, a = change.before, change.after
    if a is None:
        return []
    if b is None:  # the change adds the portfolio: nothing to compare with
        return [f"Annual target {_target(a)}: forecast {a.forecast:.1f}, status {a.state}.{_incomplete(change)}"]
    target = _target(a) if _target(a) == _target(b) else f"{_target(b)} → {_target(a)}"
    if a.year_over and b.year_over:  # no forecast left: what was done, and met or missed
        done = f"{a.done}" if a.done == b.done else f"{b.done} → {a.done} ({a.done - b.done:+d})"
        outcome = f", {_states(b, a)}" if a.target_set or b.target_set else ""
        return [f"Annual target {target}: done {done}{outcome}.{_incomplete(change)}"]
    delta = a.forecast - b.forecast
    return [f"Annual target {target}: forecast {b.forecast:.1f} → {a.forecast:.1f} "
            f"({delta:+.1f}), status {_states(b, a)}.{_incomplete(change)}"]


def _states(before: TargetStatus, after: TargetStatus) -> str:
    """"at-risk → on-track", or the one state when the change leaves it as it was."""
    return after.state if before.state == after.state else f"{before.state} → {after.state}"


def _target(s: TargetStatus) -> str:
    """The target as a figure, or why there is none (not 0: that reads as a target met)."""
    if s.target_set:
        return str(s.target)
    return absent_target(s.unknown)


def _incomplete(change: PortfolioChange) -> str:
    """Why the head's forecast may be low: what its errors leave out (counts: a refused id
    can be any text, and the comment has a size limit)."""
    parts = [plural(n, kind) for kind, n in change.head_left_out.items()]
    if change.head_unreadable:
        parts.append(f"whatever {plural(change.head_unreadable, 'unreadable file')} "
                     f"{'defines' if change.head_unreadable == 1 else 'define'}")
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f" The head's figures leave out {listed} (`cxportfolio check` says why)."


def _leaves_out(change: PortfolioChange) -> dict[str, Any]:
    """JSON keys, not display labels: entities by their list key (`pain_points`, `kpis`…),
    then values of no known kind (a list under a misspelled key, a value a repeated key replaced)."""
    from cxportfolio.model.entities import LIST_KEY_OF_LABEL as keys

    left = change.head_left_out
    return {"entities": {keys[label]: n for label, n in left.items() if label in keys},
            "other_values": sum(n for label, n in left.items() if label not in keys),
            "unreadable_files": change.head_unreadable}


def _unchanged(change: PortfolioChange) -> bool:
    return not (change.entities or change.new_findings or change.resolved_findings or change.unchecked_findings
                or change.accepted_findings or change.changed_findings)


def _out_of_it(change: PortfolioChange, before: Finding, after: Finding) -> tuple[list[str], list[tuple[str, str]]]:
    """The members of a base cluster not in the head's, smaller one: those that left it,
    and (id, why) those the head does not compare for a mistake there
    (`PortfolioChange.uncompared_members`, by the cluster's rule and the member's id)."""
    why = change.uncompared_members
    out = sorted(set(before.entities) - set(after.entities))
    return ([ident for ident in out if (before.code, ident) not in why],
            [(ident, why[(before.code, ident)]) for ident in out if (before.code, ident) in why])


def _smaller_how(change: PortfolioChange, before: Finding, after: Finding) -> str:
    left, uncompared = _out_of_it(change, before, after)
    parts = [f"{', '.join(left)} no longer in it"] if left else []
    parts += [f"{ident} {why}" for ident, why in uncompared]
    return f"smaller than at the base: {'; '.join(parts)}"


def _accepted_how(f: Finding) -> str:
    """Why a base finding is gone though not resolved: the allow's reason, or its rule off."""
    return f"allow: {f.suppression_reason}" if f.suppressed else f"{f.code} is off at the head"


# GitHub refuses a comment over 65,536 characters; the rest leaves room for a bot's header.
COMMENT_LIMIT = 65_000
_CELL_LIMIT = 300  # a title or message longer than this is cut in a table cell
_NOTE_ROOM = 1_500  # the notes that say what was cut


def _cell(text: str) -> str:
    """Cut before escaping, so an escape or a code span is never cut in half."""
    text = one_line(text)
    return md_escape(text if len(text) <= _CELL_LIMIT else text[:_CELL_LIMIT - 1] + "…")


def _size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # GitHub counts as JavaScript does: UTF-16 units


def _finding_row(f: Finding, prefix: str, how: str | None = None, inside: str = "") -> str:
    # the file name escaped on its own: it is the untrusted part, wherever diff runs; a line
    # break in it shown as an escape (printable), not folded to a space: `a b.yaml` is another file
    prefix, file = from_inside(prefix, f.location.file, inside)
    where = f"{_cell(printable(prefix))}{_cell(printable(file))}:{f.location.line}"
    return (f"| {where} | {f.code} | {f.severity.value} | {_cell(f.message)} |"
            + (f" {_cell(how)} |" if how is not None else ""))


def markdown(change: PortfolioChange, paths: DiffPaths = DiffPaths(), limit: int = COMMENT_LIMIT) -> str:
    """A PR comment that fits GitHub's limit whatever the change. Rows are kept in order
    of importance — new errors, new warnings, accepted findings, rank moves, new infos,
    resolved findings, entity changes — until the limit, and the comment says what it left out."""
    new = sorted(change.new_findings, key=lambda f: f.severity.rank)  # stable: file order within
    rows = {
        "new": [_finding_row(f, paths.head, inside=paths.head_inside) for f in new],
        "moves": [f"| {_cell(m.id)} | {_cell(m.title)} | {m.before or '–'} | {m.after or '–'} | {m.note} |"
                  for m in change.rank_moves],
        "accepted": [_finding_row(f, paths.head if f.suppressed else paths.base, _accepted_how(f),
                                  paths.head_inside if f.suppressed else paths.base_inside)
                     for f in change.accepted_findings],
        "changed": [_finding_row(after, paths.head, _smaller_how(change, before, after), paths.head_inside)
                    for before, after in change.changed_findings],
        "resolved": [_finding_row(f, paths.base, inside=paths.base_inside) for f in change.resolved_findings],
        "entities": [f"| {_UNREAD_CHANGE if e.change == 'unread' else e.change} | {e.kind} | {_cell(e.id)} | "
                     f"{_cell(', '.join(e.fields) or _unread_where(e, paths))} |" for e in change.entities],
    }
    by_severity = {s: sum(1 for f in new if f.severity is s) for s in Severity}
    important = by_severity[Severity.ERROR] + by_severity[Severity.WARNING]
    order = [("new", important), ("accepted", len(rows["accepted"])), ("moves", len(rows["moves"])),
             ("new", len(new)), ("changed", len(rows["changed"])), ("resolved", len(rows["resolved"])),
             ("entities", len(rows["entities"]))]
    counts = {k: sum(1 for e in change.entities if e.change == k) for k in ("added", "removed", "changed", "unread")}
    titles = {
        "new": f"**New findings**: {len(new)} ({', '.join(plural(n, s.value) for s, n in by_severity.items())})",
        "moves": f"**Rank moves** (open initiatives, top {change.top}): {len(change.rank_moves)}",
        "accepted": (f"**Accepted findings** (an `allow:` added, or the rule switched off): "
                     f"{len(change.accepted_findings)}"),
        "changed": (f"**Changed findings** (a cluster known at the base, now smaller: not new): "
                    f"{len(change.changed_findings)}"),
        "resolved": f"**Resolved findings**: {len(change.resolved_findings)}",
        "entities": (f"**Entities**: {counts['added']} added, {counts['removed']} removed, "
                     f"{counts['changed']} changed"
                     + (f", {counts['unread']} in a file the base could not read (not known to be added)"
                        if counts["unread"] else "") + "."),
    }
    heads = {"new": _FINDING_HEAD, "moves": "| id | title | before | after | move |\n|---|---|---|---|---|",
             "accepted": _ACCEPTED_HEAD, "changed": _CHANGED_HEAD, "resolved": _FINDING_HEAD,
             "entities": "| change | kind | id | fields |\n|---|---|---|---|"}
    out = ["### cxportfolio diff", *(part for line in _forecast_lines(change) for part in ("", line))]
    # no empty table for what most changes lack
    parts = [part for part in ("new", "accepted", "moves", "changed", "resolved", "entities")
             if rows[part] or part not in ("accepted", "changed")]
    if _unchanged(change):  # no empty tables: rank moves (a change of weights) alone may follow
        out += ["", NO_CHANGE]
        parts = ["moves"] if change.rank_moves else []
    fixed = _size("\n".join(out)) + sum(
        _size(titles[k] + heads[k]) + 8 for k in rows) + _NOTE_ROOM
    budget = limit - fixed
    shown = dict.fromkeys(rows, 0)
    for part, upto in order:  # fill by importance until the first row that does not fit
        while shown[part] < upto and budget >= _size(rows[part][shown[part]]) + 1:
            budget -= _size(rows[part][shown[part]]) + 1
            shown[part] += 1
        if shown[part] < upto:
            break
    cut = {k: len(rows[k]) - shown[k] for k in rows if shown[k] < len(rows[k])}
    if cut:
        names = {k: plural(len(rows[k]), name) for k, name in (
            ("new", "new finding"), ("accepted", "accepted finding"), ("moves", "rank move"),
            ("changed", "changed finding"), ("resolved", "resolved finding"), ("entities", "entity change"))}
        if "new" in cut:  # which of them: a reviewer must know whether errors are missing
            missing = [f.severity for f in new[shown["new"]:]]
            names["new"] += f" ({', '.join(plural(missing.count(s), s.value) for s in Severity if s in missing)})"
        out += ["", "**Cut to fit a comment** (GitHub's limit is 65,536 characters): left out "
                + ", ".join(f"{cut[k]} of {names[k]}" for k in cut)
                + ". `cxportfolio diff --format text` lists everything."]
    for part in parts:
        out += ["", titles[part]]
        if shown[part]:
            out += ["", heads[part], *rows[part][:shown[part]]]
        if part in cut:
            out += ["", f"_{cut[part]} more left out._"]
    if change.unchecked_findings:  # counted, not listed: the head's own findings say where
        out += ["", _unchecked_note(change)]
    # three files at most: the comment's size limit leaves room for a few notes (_NOTE_ROOM)
    lines = _not_compared_lines(change, paths)
    out += [part for line in lines[:3] for part in ("", _cell(line))]
    if len(lines) > 3:
        out += ["", f"Not compared either: the new findings of {plural(len(lines) - 3, 'other file')} the base "
                "could not read (`cxportfolio diff --format text` lists them)."]
    return "\n".join(out) + "\n"


_UNREAD_CHANGE = "unread at the base"


def _unread_where(e: EntityChange, paths: DiffPaths) -> str:
    """Where an entity the base could not read lies: its file did not parse there, or is
    not there while files that did not parse are (it may be one, renamed): those are the base's."""
    if e.change != "unread":
        return ""
    where = f"in {_shown(paths.at_head(e.file))}"
    if not e.base_files:
        return f"{where}, which the base could not read"
    return f"{where}, not at the base, which could not read " + _files_named(e.base_files, paths.at_base)


_FINDING_HEAD = "| location | code | severity | message |\n|---|---|---|---|"
_ACCEPTED_HEAD = "| location | code | severity | message | accepted by |\n|---|---|---|---|---|"
_CHANGED_HEAD = "| location | code | severity | message | change |\n|---|---|---|---|---|"


def _unchecked_note(change: PortfolioChange) -> str:
    n = len(change.unchecked_findings)
    return (f"Not checked at the head: {plural(n, 'finding')} of the base concerning, or depending on, "
            "what a mistake there left unread (a file that does not parse, an id refused or misspelled, "
            "a misspelled or repeated key) — not resolved; the head's CXP001–CXP003 findings say where.")


def _shown(parts: tuple[str, str]) -> str:
    """A file's prefix and the rest (DiffPaths.at_head), each escaped on its own."""
    return printable(parts[0]) + printable(parts[1])


def _files_named(files: Sequence[str], at: Callable[[str], tuple[str, str]]) -> str:
    """Files as a line names them: the first few, and how many more (a change may repair
    thousands, and each entity or file they may hold says so: SECURITY.md)."""
    return named([_shown(at(file)) for file in files[:MAX_NAMED]], len(files), and_last=True)


def _not_compared_lines(change: PortfolioChange, paths: DiffPaths) -> list[str]:
    """Per file the base could not read (or not at the base, which may be one, renamed):
    its new findings are new for want of a base. The files gone are the base's."""
    unread = _files_named(change.base_gone, paths.at_base)
    return [f"Not compared: {plural(n, 'new finding')} in or about {_shown(paths.at_head(file))}, "
            + ("which the base could not read (it did not parse there)" if file in change.base_unreadable
               else f"not at the base, which could not read {unread}") + ": the base may have had them."
            for file, n in sorted(change.not_compared.items())]


def text(change: PortfolioChange, paths: DiffPaths = DiffPaths()) -> str:
    out = _forecast_lines(change) + ([NO_CHANGE] if _unchanged(change) else [])
    out += [f"{e.change:8} {e.kind} {printable(e.id)}"
            + (f" ({printable(', '.join(e.fields))})" if e.fields else "")
            + (f" ({_unread_where(e, paths)})" if e.change == "unread" else "") for e in change.entities]
    for label, at, findings in (("new     ", paths.at_head, change.new_findings),
                                ("resolved", paths.at_base, change.resolved_findings),
                                ("unchecked", paths.at_base, change.unchecked_findings)):
        # the file name escaped on its own: it is the untrusted part, wherever diff runs; a line
    # break in it shown as `\\n` (printable), not folded to a space: `a b.yaml` is another file
        out += [f"{label} {_shown(at(f.location.file))}:{f.location.line}:"
                f"{f.location.column}: {f.code} [{f.severity.value}] {one_line(f.message)}" for f in findings]
    out += [f"changed  {_shown(paths.at_head(after.location.file))}:{after.location.line}:"
            f"{after.location.column}: {after.code} [{after.severity.value}] {one_line(after.message)}"
            f" ({one_line(_smaller_how(change, before, after))})"
            for before, after in change.changed_findings]
    out += [f"accepted {_shown((paths.at_head if f.suppressed else paths.at_base)(f.location.file))}:"
            f"{f.location.line}:{f.location.column}: {f.code} [{f.severity.value}] {one_line(f.message)}"
            f" ({one_line(_accepted_how(f))})"
            for f in change.accepted_findings]
    out += [f"rank     {printable(m.id)}: {m.before or '-'} -> {m.after or '-'} ({m.note})"
            for m in change.rank_moves]
    out += _not_compared_lines(change, paths)
    return "\n".join(out) + "\n"


def json_text(change: PortfolioChange, paths: DiffPaths = DiffPaths()) -> str:
    """Paths relative to the portfolio root, as every JSON output (docs/ci.md, JSON for programs): `paths` unused."""
    from cxportfolio.render.json_format import finding_json

    def target(t: Any) -> dict[str, Any] | None:
        # null, not 0, for no target (as `track --format json`)
        return None if t is None else {"year": t.year, "target": t.target if t.target_set else None, "done": t.done,
                                       "forecast": round(t.forecast, 4), "status": t.status,
                                       "outcome": t.outcome, "target_unknown": t.unknown}

    document = {
        "version": VERSION,
        # "unread": in a file the base could not read (`file`), so not known to be added; or
        # in a file not at the base, which could not read `base_files` (it may be one, renamed)
        # a file name's bytes that are not UTF-8 as `\\xNN` (path_text), as every JSON output writes them
        "entities": [{"kind": e.kind, "id": e.id, "change": e.change, "fields": list(e.fields)}
                     | ({"file": path_text(e.file)} if e.change == "unread" else {})
                     | ({"base_files": [path_text(f) for f in e.base_files]} if e.base_files else {})
                     for e in change.entities],
        "new_findings": [finding_json(f) for f in change.new_findings],
        "resolved_findings": [finding_json(f) for f in change.resolved_findings],
        "unchecked_findings": [finding_json(f) for f in change.unchecked_findings],
        # a cluster known at the base, smaller at the head: neither new nor resolved; the
        # members that left it, and those the head does not compare for a mistake, and why
        "changed_findings": [{"before": finding_json(before), "after": finding_json(after), "left": left,
                              "uncompared": [{"id": ident, "why": why} for ident, why in uncompared]}
                             for before, after in change.changed_findings
                             for left, uncompared in [_out_of_it(change, before, after)]],
        # the head's suppressed finding (with its `reason`), or the base's with `rule_off`
        "accepted_findings": [finding_json(f) if f.suppressed else {**finding_json(f), "rule_off": True}
                              for f in change.accepted_findings],
        # by file the base could not read: how many new findings are in or about it
        "not_compared": {path_text(file): n for file, n in sorted(change.not_compared.items())},
        "rank_moves": [{"id": m.id, "title": m.title, "before": m.before, "after": m.after, "move": m.note}
                       for m in change.rank_moves],
        "target": {"before": target(change.before), "after": target(change.after),
                   "after_leaves_out": _leaves_out(change)},
    }
    return dumps_json(document)


DIFF_RENDERERS = {"text": text, "markdown": markdown, "json": json_text}
