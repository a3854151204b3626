"""Navigation, hover, completion, rename and quick fixes, answered from the latest check."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from lsprotocol import types

from cxportfolio.load.yaml_reader import resolve_plain
from cxportfolio.lsp.diagnostics import to_range
from cxportfolio.lsp.index import Occurrence
from cxportfolio.lsp.session import Snapshot
from cxportfolio.lsp.text import Span, from_client, line_end, to_client, token_at
from cxportfolio.model.config import PROTECTED_RULES
from cxportfolio.model.entities import Entity, Initiative, Journey, Kpi, PainPoint, Size, Status, Unit
from cxportfolio.model.types import MAX_ID_LENGTH, id_excerpt, id_form, is_id
from cxportfolio.render.neutral import md_code, md_escape, printable
from cxportfolio.render.text import plural

Uri = Callable[[str], str]


def occurrence_at(snapshot: Snapshot, file: str, position: types.Position, encoding: str) -> Occurrence | None:
    lines = snapshot.lines(file)
    text = lines[position.line] if position.line < len(lines) else ""
    return snapshot.index.at(file, position.line, from_client(text, position.character, encoding))


def _location(snapshot: Snapshot, occurrence: Occurrence, uri: Uri, encoding: str) -> types.Location:
    return types.Location(uri(occurrence.file), to_range(snapshot.lines(occurrence.file), occurrence.span, encoding))


def definition(snapshot: Snapshot, file: str, position: types.Position, uri: Uri,
               encoding: str) -> list[types.Location]:
    found = occurrence_at(snapshot, file, position, encoding)
    if found is None:
        return []
    return [_location(snapshot, o, uri, encoding) for o in snapshot.index.definitions(found.key)]


def references(snapshot: Snapshot, file: str, position: types.Position, uri: Uri, encoding: str,
               include_declaration: bool) -> list[types.Location]:
    found = occurrence_at(snapshot, file, position, encoding)
    if found is None:
        return []
    return [_location(snapshot, o, uri, encoding) for o in snapshot.index.by_key.get(found.key, [])
            if include_declaration or not o.defines]


# -- hover ---------------------------------------------------------------------------

def hover(snapshot: Snapshot, file: str, position: types.Position, encoding: str) -> types.Hover | None:
    found = occurrence_at(snapshot, file, position, encoding)
    if found is None:
        return None
    portfolio = snapshot.run.portfolio
    if found.key[0] == "stage":
        journey = portfolio.get(found.key[1], Journey)
        stage = next((s for s in getattr(journey, "stages", ()) if s.id == found.key[2]), None)
        if stage is None:
            return None
        # a refused name (`stages.name`) is None: its CXP002 says what was written
        name = md_escape(stage.name) if stage.name is not None else "*its name is refused*"
        lines = [f"**stage** {md_code(stage.id)} of journey {md_code(found.key[1])}: {name}",
                 f"completion {stage.completion:g}"]
    else:
        entity = portfolio.by_id.get(found.key[1])
        if entity is None:
            return None
        lines = describe(snapshot, entity)
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, "  \n".join(lines)),
                       to_range(snapshot.lines(file), found.span, encoding))


def describe(snapshot: Snapshot, entity: Entity) -> list[str]:
    """What an entity is, in a few lines of Markdown (portfolio text escaped: SECURITY.md)."""
    e, c = md_escape, md_code  # text; an id (or a command) in a code span, as written
    head = f"**{entity.label}** {c(entity.id)}: {e(title_of(entity))}"
    if isinstance(entity, PainPoint):
        evidence = ", ".join(sorted({ev.kind for ev in entity.evidence})) or "none"
        return [head, f"journey {c(str(entity.journey))}, stage {c(str(entity.stage))}",
                f"severity {entity.severity}, reach {entity.reach:g}, evidence: {evidence}",
                f"addressed by {plural(len(snapshot.run.portfolio.work_on(entity.id)), 'initiative')}"]
    if isinstance(entity, Initiative):
        lines = [head, f"unit {c(entity.unit_named)}, status {entity.status or 'refused (see its CXP002)'}"
                 + (f", effort {entity.effort:g} person-weeks" if entity.effort is not None else "")]
        rank = snapshot.ranks.get(entity.id)
        if rank is not None:
            place, of, score = rank
            lines.append(f"rank {place} of {of} open initiatives: priority {_number(score.priority)} "
                         f"= impact {_number(score.impact)} / effort {_number(score.effort)}")
            lines.append(c(f"cxportfolio rank --explain {entity.id}") + " shows every term")
        return lines
    if isinstance(entity, Kpi):
        return [head, f"{entity.type} KPI, {entity.direction} is better"
                + (f", owner {c(entity.owner)}" if entity.owner else "")
                + (f", journey {c(entity.journey)}" if entity.journey else "")]
    if isinstance(entity, Journey):
        return [head, "stages: " + ", ".join(c(s.id) for s in entity.stages or ())
                + (f"; owner {c(entity.owner)}" if entity.owner else "")]
    if isinstance(entity, Unit):
        return [head] + ([f"capacity {entity.capacity:g} person-weeks"] if entity.capacity is not None else [])
    return [head]


def _number(value: float) -> str:
    """1267.0 → '1,267', 158.381 → '158.38': as a person reads them, never 1.27e+03."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def title_of(entity: Entity) -> str:
    return str(getattr(entity, "title", None) or getattr(entity, "name", None) or "")


# -- completion ----------------------------------------------------------------------

_KEY = re.compile(r"^\s*(?:-\s+)?(?:\{\s*)?([A-Za-z_]+)\s*:\s*(\[)?[^\]]*$")
_FLOW_KEY = re.compile(r"[{,]\s*([A-Za-z_]+)\s*:\s*[^,{}]*$")
_ITEM = re.compile(r"^(\s*)-\s*[A-Za-z0-9_.-]*$")
_LIST_KEY = re.compile(r"^(\s*)([A-Za-z_]+)\s*:\s*$")
_ID_KIND: dict[str, type[Entity]] = {
    "addresses": PainPoint, "kpi": Kpi, "drives": Kpi, "tradeoffs": Kpi, "unit": Unit, "owner": Unit,
    "journey": Journey, "depends_on": Initiative,
}
_CHOICES = {"status": Status.__args__, "size": Size.__args__}  # type: ignore[attr-defined]
# Keys that name no id in the entities of a section (a top-level list): a KPI's `unit` is
# its unit of measure, free text (`percent`, `seconds`), not the id of a department.
_TEXT_IN = {"kpis": {"unit"}}
_TOP_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:")


def completion(snapshot: Snapshot, lines: list[str], position: types.Position, encoding: str,
               typed: Mapping[str, list[str] | None] | None = None) -> list[types.CompletionItem]:
    """Ids (or enum values) for the key the cursor is a value of, titles as detail. Each
    item replaces the whole id the cursor is in (`PP-bl` → `PP-black-hole`, and with the
    cursor in `PP-bl|ack-h`, all of it): editors that end a word at a hyphen would
    otherwise keep its first part (`PP-PP-black-hole`), and the text after the cursor
    would stay behind it.

    `typed`: the files typed in since the snapshot's check, with their lines now (as
    code_actions takes them); an id of the check no longer written in its file is not offered."""
    text = lines[position.line] if position.line < len(lines) else ""
    before = text[:from_client(text, position.character, encoding)]
    items = _completion_items(snapshot, lines, position.line, before, _gone(snapshot, typed or {}))
    typed = _TYPED.search(before)
    start = types.Position(position.line, to_client(text, typed.start() if typed else len(before), encoding))
    after = _ID_TAIL.match(text, len(before))
    end = types.Position(position.line, to_client(text, after.end() if after else len(before), encoding))
    written = before[:typed.start()] if typed else before
    # What is inserted must read as the value it is: `key:value` (no space after the
    # colon) is one plain text to YAML (CXP001), and a list-valued key takes a list.
    space = " " if written.endswith(":") else ""
    as_list = bool(items) and _key_before(lines, position.line, before) in _LISTED and _bare(written)
    for item in items:
        item.text_edit = types.TextEdit(types.Range(start, end), space + (f"[{item.label}]" if as_list else item.label))
        item.filter_text = item.label
    return items


# Keys whose value is a list of ids: an id completed as their whole value is written `[id]`.
_LISTED = frozenset({"addresses", "depends_on", "drives", "tradeoffs"})


def _bare(written: str) -> bool:
    """Whether the value being typed after `written` (the line up to it) stands alone
    after its key: not an item of a flow list `[…` nor of a block list `- `."""
    if _ITEM.match(written + "x"):
        return False
    value = written.rsplit(":", 1)[-1]
    return value.count("[") <= value.count("]")


_TYPED = re.compile(r"[\w.-]+$")  # the id (or value) being typed, up to the cursor
_ID_TAIL = re.compile(r"[\w.-]*")  # the rest of that id after the cursor


def _gone(snapshot: Snapshot, typed: Mapping[str, list[str] | None]) -> Callable[[Entity], bool]:
    """Whether an entity of the check is no longer written in its file as typed since (its
    definition deleted or renamed before the held-back check has run)."""
    words: dict[str, set[str]] = {}

    def gone(entity: Entity) -> bool:
        now = typed.get(entity.origin.file)
        if now is None:
            return False
        if entity.origin.file not in words:
            words[entity.origin.file] = set(_WORD.findall("\n".join(now)))
        return entity.id not in words[entity.origin.file]

    return gone


_WORD = re.compile(r"[A-Za-z][\w.-]*")


def _completion_items(snapshot: Snapshot, lines: list[str], line: int, before: str,
                      gone: Callable[[Entity], bool] = lambda _: False) -> list[types.CompletionItem]:
    """The items for the value being typed: `before` is the line up to the cursor."""
    key = _key_before(lines, line, before)
    portfolio = snapshot.run.portfolio
    if key in _CHOICES:
        return [types.CompletionItem(v, kind=types.CompletionItemKind.EnumMember) for v in _CHOICES[key]]
    if key == "stage":  # the stages of the pain point's journey: in its own {…} when the cursor is in one
        mapping = _flow_mapping(lines[line] if line < len(lines) else "", len(before))
        named = _sibling(lines, line, "journey") if mapping is None else _flow_value(mapping, "journey")
        journey = portfolio.get(named or "", Journey)
        return [types.CompletionItem(s.id, kind=types.CompletionItemKind.EnumMember, detail=printable(s.name or ""))
                for s in getattr(journey, "stages", None) or ()]
    if key == "rule":
        from cxportfolio.rules import REGISTRY

        return [types.CompletionItem(code, kind=types.CompletionItemKind.Constant, detail=rule.summary)
                for code, rule in sorted(REGISTRY.items()) if code not in PROTECTED_RULES]
    kind = _ID_KIND.get(key or "")
    if kind is None or key in _TEXT_IN.get(_section(lines, line) or "", ()):
        return []
    # Ids already written in this flow list (`[PP-a, PP-b, `) are not offered again; the
    # one being typed (after the last separator) still is.
    written = re.split(r"[\[,]", before.split(":", 1)[-1])[:-1]
    listed = set(re.findall(r"[A-Za-z][\w.-]*", ",".join(written)))
    entities = [e for e in portfolio.by_id.values() if type(e) is kind and e.id not in listed and not gone(e)]
    if kind is PainPoint:  # the journeys of what the initiative already addresses first
        near = {getattr(portfolio.by_id.get(i), "journey", None) for i in re.findall(r"[A-Za-z][\w.-]*", before.split(":", 1)[-1])}
        entities.sort(key=lambda p: (p.journey not in near, p.id))
    return [types.CompletionItem(e.id, kind=types.CompletionItemKind.Reference, detail=printable(title_of(e)),
                                 sort_text=f"{n:06d}") for n, e in enumerate(entities)]


def _key_before(lines: list[str], line: int, before: str) -> str | None:
    flow = _FLOW_KEY.search(before)
    if flow:
        return flow.group(1)
    match = _KEY.match(before)
    if match:
        return match.group(1)
    item = _ITEM.match(before)
    if item:  # a block list item: the key above it, less indented
        indent = len(item.group(1))
        for above in reversed(lines[:line]):
            listed = _LIST_KEY.match(above)
            if listed and len(listed.group(1)) <= indent:
                return listed.group(2)
            if above.strip() and len(above) - len(above.lstrip()) < indent:
                return None
    return None


def _section(lines: list[str], line: int) -> str | None:
    """The top-level key (written at column 0) whose value holds the line, or that it begins."""
    for text in reversed(lines[:line + 1]):
        found = _TOP_KEY.match(text)
        if found:
            return found.group(1)
    return None


def _flow_mapping(text: str, column: int) -> str | None:
    """The flow mapping `{…}` written on this line that holds the column (to its `}`, or
    the line's end while it is being typed); None outside one."""
    depth = 0
    for start in range(min(column, len(text)) - 1, -1, -1):
        if text[start] == "}":
            depth += 1
        elif text[start] == "{":
            if depth == 0:
                break
            depth -= 1
    else:
        return None
    for end in range(start, len(text)):
        if text[end] == "{":
            depth += 1
        elif text[end] == "}":
            depth -= 1
            if depth == 0:
                return text[start:end + 1]
    return text[start:]


def _flow_value(mapping: str, key: str) -> str | None:
    """The value of `key:` in a flow mapping's text, when it is an id."""
    found = re.search(rf"[{{,]\s*{key}\s*:\s*['\"]?([A-Za-z][\w.-]*)", mapping)
    return found.group(1) if found else None


def _sibling(lines: list[str], line: int, key: str) -> str | None:
    """The value of `key:` in the same mapping as `line` (same indentation, up or down)."""
    current = lines[line]
    indent = len(current) - len(current.lstrip(" -"))
    pattern = re.compile(rf"^[ -]{{{indent}}}{key}\s*:\s*['\"]?([A-Za-z][\w.-]*)")
    for step in (-1, 1):
        n = line + step
        while 0 <= n < len(lines):
            other = lines[n]
            match = pattern.match(other)
            if match:
                return match.group(1)
            if other.strip() and (len(other) - len(other.lstrip(" -")) < indent or other.lstrip().startswith("- ")
                                  and len(other) - len(other.lstrip()) < indent):
                break
            n += step
    return None


# -- rename and quick fixes ----------------------------------------------------------

class RenameRefused(ValueError):
    """A rename the server refuses, with why (sent to the editor as the request's error)."""


_READ_AS = {"null": "null (no value)", "bool": "a boolean", "int": "a number", "float": "a number"}


def rename(snapshot: Snapshot, file: str, position: types.Position, new_name: str, uri: Uri,
           encoding: str) -> types.WorkspaceEdit | None:
    found = occurrence_at(snapshot, file, position, encoding)
    if found is None:
        return None
    if not is_id(new_name):
        raise RenameRefused(f"'{printable(id_excerpt(new_name))}' is not an id: a letter, then letters, digits, '_', '.' or '-', "
                            f"at most {MAX_ID_LENGTH} characters")
    read_as = resolve_plain(new_name)
    if read_as != "str":  # written as it is, unquoted, like every id it replaces
        raise RenameRefused(f"'{new_name}' is not an id as YAML reads it: written unquoted, it is "
                            f"{_READ_AS.get(read_as, 'a ' + read_as)}; choose another name")
    if new_name != found.key[-1] and (new_name in snapshot.run.portfolio.by_id or (*found.key[:-1], new_name)
                                      in snapshot.index.by_key):
        raise RenameRefused(f"'{new_name}' is already an id in this portfolio: renaming onto it would define it "
                            "twice (CXP101)")
    changes: dict[str, list[types.TextEdit]] = {}
    for o in snapshot.index.by_key.get(found.key, []):
        changes.setdefault(uri(o.file), []).append(
            types.TextEdit(to_range(snapshot.lines(o.file), o.span, encoding), new_name))
    return types.WorkspaceEdit(changes=changes)


def refuse_while_unreadable(snapshot: Snapshot, ident: str) -> None:
    """A rename is refused while a file of the portfolio cannot be read (an open buffer
    half typed, a file on disk that does not parse): the references to `ident` written
    there cannot be found, and renaming the rest would leave them unknown (CXP102). The
    server asks before `rename`, which renames what it finds."""
    unreadable = snapshot.unreadable
    if unreadable:
        one = len(unreadable) == 1
        raise RenameRefused(f"{', '.join(map(printable, unreadable))} cannot be read (see {'its' if one else 'their'} "
                            f"CXP001): the references to '{printable(ident)}' written there cannot be found; "
                            f"correct {'it' if one else 'them'}, then rename")


def code_actions(snapshot: Snapshot, file: str, uri: Uri, diagnostics: list[types.Diagnostic],
                 encoding: str, disabled_support: bool = False,
                 typed: Mapping[str, list[str] | None] | None = None) -> list[types.CodeAction]:
    """The quick fixes for the diagnostics. An edit that would be placed in a file whose
    open buffer does not parse is not made: its positions would come from the file's last
    readable text, not from the buffer the editor applies it to. It is offered disabled,
    naming the file, to a client that shows such actions (`disabledSupport`).

    `typed` holds the files whose text changed since the snapshot's check (the check the
    debounce holds back has not run), with their lines now (None: closed since). A
    replacement is placed on the text as it stands now; a fix that adds lines where the
    check placed them is not offered in such a file: its place may have moved."""
    typed = typed or {}
    moved = {uri(f) for f in typed}
    actions = []

    def offer(title: str, diagnostic: types.Diagnostic, made: types.WorkspaceEdit | str,
              is_preferred: bool | None = None, on_the_text_now: bool = False) -> None:
        if not on_the_text_now and isinstance(made, types.WorkspaceEdit) and moved.intersection(made.changes or {}):
            return  # placed on the text as checked, which has changed since
        if isinstance(made, str):  # why it cannot be made now
            if disabled_support:
                actions.append(types.CodeAction(title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                                                disabled=types.CodeActionDisabled(made)))
            return
        actions.append(types.CodeAction(title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                                        is_preferred=is_preferred, edit=made))

    lines = typed[file] if file in typed else snapshot.lines(file)
    for diagnostic in diagnostics:
        data = _data_of(diagnostic)
        target = _id_range(lines, diagnostic.range, encoding) if data.get("replace") and lines is not None else None
        # Only where the range still holds what the finding was about, in the text as it
        # stands: an editor sends the diagnostic it shows, which may be of an older text
        # (a word typed before it since), and its range would then cut another word.
        if target is not None and lines is not None and data.get("replacing") is not None \
                and _text(lines, target, encoding) == data["replacing"] \
                and _whole_token(lines, diagnostic.range, encoding):
            offer(f"Replace with '{data['replace']}'", diagnostic,
                  types.WorkspaceEdit(changes={uri(file): [types.TextEdit(target, data["replace"])]}), True, True)
        code = str(diagnostic.code)
        completed = _completed_edit(snapshot, data.get("entities", [])[:1], uri, encoding) if code == "CXP105" else None
        if completed is not None:
            offer(f"Add completed: {snapshot.run.as_of.isoformat()} (the check's date: correct it to the day it went "
                  "live)", diagnostic, completed, True)
        accept = _accept_edit(snapshot, code, data.get("entities", []), diagnostic.message, uri, encoding)
        if accept is not None:
            offer(accept[0], diagnostic, accept[1])
    return actions


def _data_of(diagnostic: types.Diagnostic) -> dict[str, Any]:
    """The data the server gave the diagnostic (diagnostics.py), the parts of the shape
    it gave them: a client sends back whatever it holds (another server's diagnostic
    too), and `[["DIG-008"]]` as its entities was an internal error, not no fix."""
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    entities = data.get("entities")
    return {"entities": entities if isinstance(entities, list) and all(isinstance(e, str) for e in entities) else [],
            **{key: data[key] for key in ("replace", "replacing") if isinstance(data.get(key), str)}}


def _half_typed(snapshot: Snapshot, files: list[str]) -> str | None:
    """Why no edit can be placed in these files now, when an open buffer among them does
    not parse (half typed); None when each can take one."""
    unreadable = [f for f in dict.fromkeys(files) if f in snapshot.unreadable]
    if not unreadable:
        return None
    one = len(unreadable) == 1
    return (f"{', '.join(map(printable, unreadable))} cannot be read as typed (see {'its' if one else 'their'} "
            f"CXP001): correct {'it' if one else 'them'}, then ask again")


def _accept_edit(snapshot: Snapshot, code: str, entities: list[str], message: str, uri: Uri,
                 encoding: str) -> tuple[str, types.WorkspaceEdit | str] | None:
    """The allow on every entity that must carry one for the finding to be suppressed and
    does not yet (docs/format.md, "parties"): each member of a cluster or a cycle, each
    initiative pushing a KPI both ways (CXP301, not the KPI), each unit of a conflict
    (CXP302) — each in its own file. None if one of them cannot take it here (a flow
    mapping); why not, instead of the edit, while one of their files is half typed."""
    parties = snapshot.parties(code, entities, message) if code not in PROTECTED_RULES else None
    if not parties:
        return None
    by_id = snapshot.run.portfolio.by_id
    # A party whose allow: for the rule counts has agreed already (a newcomer to an
    # accepted cluster is the one left): a second entry there would be an empty reason to undo.
    agreed = [p for p in parties if any(a.rule == code for a in getattr(by_id.get(p), "allow", ()))]
    # One whose allow: for the rule was refused has the entry to correct (the hint says so):
    # a second, empty one would be another to correct.
    refused = [p for p in parties if p in by_id and id_form(code) in by_id[p].refused_rules]
    parties = [p for p in parties if p not in agreed and p not in refused]
    if not parties:
        return None
    if len(parties) == 1:
        title = f"Accept {code} on {parties[0]} with an allow: (give the reason)"
    elif agreed or refused:
        title = f"Accept {code} on {', '.join(parties)} with an allow: each (give the reasons)"
    else:
        title = f"Accept {code} on all {len(parties)} ({', '.join(parties)}) with an allow: each (give the reasons)"
    if agreed:
        title += f"; {', '.join(agreed)} accept it already"
    if refused:
        title += f"; correct the refused allow: on {', '.join(refused)}"
    blocked = _half_typed(snapshot, [by_id[p].origin.file for p in parties if p in by_id])
    if blocked is not None:
        return title, blocked
    edits = [_allow_edit(snapshot, ident, code, uri, encoding) for ident in parties]
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        if edit is None or not edit.changes:
            return None
        for target, text_edits in edit.changes.items():
            changes.setdefault(target, []).extend(text_edits)
    return title, types.WorkspaceEdit(changes=changes)


def _id_range(lines: list[str], diagnostic_range: types.Range, encoding: str) -> types.Range:
    """The diagnostic's range without the quotes of a quoted id."""
    start, end = diagnostic_range.start, diagnostic_range.end
    text = lines[start.line] if start.line < len(lines) else ""
    first, last = from_client(text, start.character, encoding), from_client(text, end.character, encoding)
    if last - first >= 2 and text[first] == text[last - 1] and text[first] in "\"'":
        return to_range(lines, Span(start.line, first + 1, last - 1), encoding)
    return diagnostic_range


def _whole_token(lines: list[str], span: types.Range, encoding: str) -> bool:
    """Whether the range is a whole scalar of the text now: a word typed on since
    (PP-blackhole to PP-blackholex) still holds the old word at the old range, and a
    replacement there would write a third id."""
    if span.start.line != span.end.line or not 0 <= span.start.line < len(lines):
        return False
    text = lines[span.start.line]
    start, end = from_client(text, span.start.character, encoding), from_client(text, span.end.character, encoding)
    starts_one = start == 0 or text[start - 1] in " \t[{,"
    return starts_one and token_at(lines, span.start.line, start).end == end


def _text(lines: list[str], span: types.Range, encoding: str) -> str | None:
    """The text of a range on one line, or None."""
    if span.start.line != span.end.line or span.start.line >= len(lines):
        return None
    text = lines[span.start.line]
    return text[from_client(text, span.start.character, encoding):from_client(text, span.end.character, encoding)]


def _allow_edit(snapshot: Snapshot, ident: str, code: str, uri: Uri, encoding: str) -> types.WorkspaceEdit | None:
    """An `allow:` entry on the entity, its reason left empty: CXP002 until someone writes
    why, so that no finding is accepted without a reason."""
    entity = snapshot.run.portfolio.by_id.get(ident)
    if entity is None or not hasattr(entity, "allow"):
        return None
    loaded = snapshot.run.loaded.file(entity.origin.file)
    lines = snapshot.lines(entity.origin.file)
    entry = f'{{rule: {code}, reason: ""}}'
    if isinstance(loaded.data, dict):
        node = _node(loaded.data, entity.origin.pointer)
        if isinstance(node, dict) and "allow" in node:
            allow = node["allow"]
            if not isinstance(allow, list) or not allow:
                return None
            line, column = loaded.locate((*entity.origin.pointer, "allow", 0))
            if line - 1 >= len(lines) or line == loaded.locate((*entity.origin.pointer, "allow"), True)[0]:
                return None  # a flow list `allow: [...]`: no line to add, left to the person
            dash = lines[line - 1][:column - 1]  # "      - ": the first entry's indentation and dash
            if not dash.rstrip().endswith("-"):
                return None
            return _insert(snapshot, entity.origin.file, uri, line - 1, f"{dash}{entry}\n", encoding)
    line, column = loaded.locate((*entity.origin.pointer, "id"), True)
    if not _block_key(lines, line, column):
        return None  # a flow mapping `- {id: …}`: no line of its own to add, left to the person
    return _insert(snapshot, entity.origin.file, uri, line,
                   f"{' ' * (column - 1)}allow:\n{' ' * (column + 1)}- {entry}\n", encoding)


def _completed_edit(snapshot: Snapshot, idents: list[str], uri: Uri,
                    encoding: str) -> types.WorkspaceEdit | str | None:
    """`completed: <date>` on the line after `status: done`, when the initiative is done
    and has no date; None where that line is not a block mapping's (a flow `{...}`), or
    where `completed:` is written without its date (a second key would be a CXP003); why
    not, while its file is half typed."""
    entity = snapshot.run.portfolio.by_id.get(idents[0]) if idents else None
    if not isinstance(entity, Initiative) or entity.status != "done" or entity.completed is not None \
            or entity.is_partial("completed") or "completed" in entity.model_fields_set:
        return None
    blocked = _half_typed(snapshot, [entity.origin.file])
    if blocked is not None:
        return blocked
    loaded = snapshot.run.loaded.file(entity.origin.file)
    line, column = loaded.locate((*entity.origin.pointer, "status"), True)
    lines = snapshot.lines(entity.origin.file)
    if not _block_key(lines, line, column) or lines[line - 1].rstrip().endswith("}"):
        return None
    # Below the whole status node: `status:` may have `done` on a line of its own under it
    # (or a tag, or a block scalar's `>`, before it), which a line between them would cut
    # off. The value starts where the parser places it and runs on over the lines
    # indented deeper than the key.
    end = max(loaded.locate((*entity.origin.pointer, "status"))[0], line)
    for n in range(end, len(lines)):
        if lines[n].strip():
            if len(lines[n]) - len(lines[n].lstrip(" ")) < column:
                break
            end = n + 1
    return _insert(snapshot, entity.origin.file, uri, end,
                   f"{' ' * (column - 1)}completed: {snapshot.run.as_of.isoformat()}\n", encoding)


def _block_key(lines: list[str], line: int, column: int) -> bool:
    """Whether the key at 1-based (line, column) begins its line (after indentation and a
    list dash): a block mapping's, below which a line of the same mapping can be added."""
    return line - 1 < len(lines) and not lines[line - 1][:column - 1].strip(" -")


def _node(data: object, pointer: tuple[str | int, ...]) -> object:
    for part in pointer:
        try:
            data = data[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _insert(snapshot: Snapshot, file: str, uri: Uri, line: int, text: str, encoding: str) -> types.WorkspaceEdit:
    """`text`, whole lines each ended by \\n, inserted before the file's 0-based `line`, with
    the file's line end (a CRLF file stays CRLF). Below the last line of a file without a
    final line end, the line end comes first, at the end of that line: a position past
    the file's last line is not in the document, and editors put the text wherever they
    clamp it to (on the last line, glued to it)."""
    lines = snapshot.lines(file)
    newline = line_end(snapshot.text(file), line - 1)
    text = text.replace("\n", newline)
    at = types.Position(line, 0)
    if line >= len(lines):
        last = len(lines) - 1
        at = types.Position(last, to_client(lines[last], len(lines[last]), encoding))
        text = newline + text[:-len(newline)]
    return types.WorkspaceEdit(changes={uri(file): [types.TextEdit(types.Range(at, at), text)]})
