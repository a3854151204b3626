"""`cxportfolio lsp` end to end: a real server process spoken to over stdio.

The client below is the protocol's framing and nothing more (Content-Length headers and
JSON-RPC), so every answer is checked as an editor receives it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import queue
import shutil
import subprocess
import sys
import threading
import urllib.parse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import copy_of_example
from cxportfolio.docs import rule_anchor
from cxportfolio.rules import REGISTRY

pytest.importorskip("pygls")

WAIT = 10.0


class Client:
    """A language client over a subprocess's stdin/stdout."""

    def __init__(self, root: Path, command: list[str] | None = None) -> None:
        command = command or [sys.executable, "-m", "cxportfolio", "lsp", "--as-of", "2026-06-30"]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        cwd=root)
        self.responses: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.changed = threading.Condition()
        self.next_id = 0
        self.versions: dict[str, int] = {}
        self.published_versions: dict[str, int | None] = {}
        self.publications = 0  # how many publishDiagnostics so far (settle)
        self.stderr: list[str] = []  # what the server logs (read, so that the pipe never fills)
        self.notices: list[dict[str, Any]] = []  # its other notifications (window/showMessage, window/logMessage)
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers: dict[str, str] = {}
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            if not headers:
                return
            message = json.loads(stream.read(int(headers["content-length"])))
            if "id" in message and "method" not in message:
                self.responses.setdefault(message["id"], queue.Queue()).put(message)
            elif message.get("method") == "textDocument/publishDiagnostics":
                with self.changed:
                    self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                    self.published_versions[message["params"]["uri"]] = message["params"].get("version")
                    self.publications += 1
                    self.changed.notify_all()
            else:
                self.notices.append(message)

    def told(self, method: str) -> list[str]:
        """The messages of the server's notifications by `method` so far."""
        return [n["params"]["message"] for n in self.notices if n.get("method") == method]

    def send(self, message: dict[str, Any]) -> None:
        self.send_body(json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8"))

    def send_body(self, body: bytes) -> None:
        """A message's bytes, framed as the protocol frames them."""
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        answers = self.responses.setdefault(self.next_id, queue.Queue())
        self.send({"id": self.next_id, "method": method, "params": params})
        message = answers.get(timeout=WAIT)
        assert "error" not in message, message
        return message["result"]

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def open(self, path: Path) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text(encoding="utf-8")}})
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]},
                                               "contentChanges": [{"text": text}]})

    def edit(self, uri: str, *changes: tuple[tuple[int, int], tuple[int, int], str]) -> None:
        """Incremental changes, as most editors send them: (line, character) ranges replaced."""
        self.versions[uri] += 1
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]},
                                               "contentChanges": [
            {"range": {"start": {"line": a[0], "character": a[1]}, "end": {"line": b[0], "character": b[1]}},
             "text": text} for a, b, text in changes]})

    def wait_for(self, uri: str, ready: Callable[[list[dict[str, Any]]], bool]) -> list[dict[str, Any]]:
        """The file's diagnostics, once `ready` holds for them."""
        deadline = time.monotonic() + WAIT
        with self.changed:
            while not (uri in self.diagnostics and ready(self.diagnostics[uri])):
                left = deadline - time.monotonic()
                assert left > 0, f"no such diagnostics for {uri}: {self.diagnostics.get(uri)}"
                self.changed.wait(left)
            return self.diagnostics[uri]

    def settle(self, quiet: float = 1.0) -> None:
        """Wait until no diagnostics have come for `quiet` seconds: a change's publication
        is one per file, and a test that compares files needs all of them."""
        deadline = time.monotonic() + WAIT
        with self.changed:
            while True:
                seen = self.publications
                self.changed.wait(quiet)
                if self.publications == seen:
                    return
                assert time.monotonic() < deadline, "the server never stopped publishing"

    def close(self) -> None:
        self.request("shutdown", {})
        self.notify("exit", {})
        self.process.wait(timeout=WAIT)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_example(tmp_path_factory, "lsp")


@pytest.fixture(scope="module")
def client(portfolio: Path) -> Iterator[Client]:
    client = Client(portfolio)
    answer = client.request("initialize", {"processId": None, "rootUri": portfolio.as_uri(), "capabilities": {}})
    assert answer["capabilities"]["positionEncoding"] == "utf-16"
    client.notify("initialized", {})
    yield client
    client.close()
    assert client.process.returncode == 0


def codes(diagnostics: list[dict[str, Any]]) -> list[str]:
    return [d["code"] for d in diagnostics]


def position_of(path: Path, text: str, occurrence: int = 0) -> dict[str, int]:
    """Where `text` starts in the file, in UTF-16 units (what the client counts)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines):
        if text in line:
            if occurrence == 0:
                before = line[:line.index(text)]
                return {"line": number, "character": len(before.encode("utf-16-le")) // 2}
            occurrence -= 1
    raise AssertionError(f"{text} not in {path}")


def test_opening_a_file_publishes_every_files_findings_with_code_link_and_related(client: Client,
                                                                                   portfolio: Path) -> None:
    client.open(portfolio / "units" / "digital.yaml")
    pains = client.wait_for((portfolio / "pain_points.yaml").as_uri(), lambda d: "CXP202" in codes(d))
    owners = next(d for d in pains if d["code"] == "CXP202" and "PP-black-hole" in d["message"])
    # `check` reports it at pain_points.yaml:22:9 (1-based): the id of PP-black-hole.
    assert owners["range"] == {"start": {"line": 21, "character": 8}, "end": {"line": 21, "character": 21}}
    assert owners["severity"] == 2 and owners["source"] == "cxportfolio"
    # The code links to the rule's section of the rules page installed with the package.
    href = owners["codeDescription"]["href"]
    page, _, anchor = href.partition("#")
    assert href.startswith("file://") and anchor == rule_anchor("CXP202", REGISTRY["CXP202"].name)
    assert f"## CXP202 {REGISTRY['CXP202'].name}" in Path(urllib.parse.unquote(urllib.parse.urlparse(page).path)).read_text(
        encoding="utf-8")
    # its advice under the word `check` writes it with (`help:`), not another
    assert "\nhelp: agree which unit leads on it" in owners["message"] and "hint:" not in owners["message"]
    related = {(r["location"]["uri"], r["location"]["range"]["start"]["line"]) for r in owners["relatedInformation"]}
    assert ((portfolio / "units" / "digital.yaml").as_uri(), 12) in related


def test_an_unknown_id_typed_is_flagged_at_its_range_and_fixed_by_the_quick_fix(client: Client,
                                                                                 portfolio: Path) -> None:
    path = portfolio / "units" / "digital.yaml"
    uri = client.open(path)
    original = path.read_text(encoding="utf-8")
    client.change(uri, original.replace("addresses: [PP-black-hole]", "addresses: [PP-blackhole]", 1))
    found = client.wait_for(uri, lambda d: "CXP102" in codes(d))
    unknown = next(d for d in found if d["code"] == "CXP102")
    start = position_of(path, "addresses: [PP-black-hole]")["character"] + len("addresses: [")
    assert unknown["range"] == {"start": {"line": 14, "character": start},
                                "end": {"line": 14, "character": start + len("PP-blackhole")}}
    assert unknown["severity"] == 1 and "did you mean 'PP-black-hole'?" in unknown["message"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]}})
    fix = next(a for a in actions if a["title"] == "Replace with 'PP-black-hole'")
    assert fix["edit"]["changes"] == {uri: [{"range": unknown["range"], "newText": "PP-black-hole"}]}
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP102" not in codes(d))


@pytest.mark.parametrize("written", [
    "addresses: [PP-price-unclear,\n      PP-blackhole]",  # the list goes on over lines
    "addresses: [\n      PP-price-unclear, PP-blackhole\n    ]",
])
def test_the_quick_fix_replaces_the_id_alone_wherever_its_list_is_written(client: Client, portfolio: Path,
                                                                         written: str) -> None:
    """Found by a positions hunter: the range of a value in a flow list was read off its
    line alone, so on a list's second line it ran to the line's end, `PP-blackhole]`: the
    quick fix deleted the ']' with the id, and a rename left the id there as it was."""
    path = portfolio / "units" / "digital.yaml"
    uri = client.open(path)
    original = path.read_text(encoding="utf-8")
    changed = original.replace("addresses: [PP-black-hole]", written, 1)
    client.change(uri, changed)
    unknown = next(d for d in client.wait_for(uri, lambda d: "CXP102" in codes(d)) if d["code"] == "CXP102")
    line = changed.split("\n")[unknown["range"]["start"]["line"]]
    assert line[unknown["range"]["start"]["character"]:unknown["range"]["end"]["character"]] == "PP-blackhole"
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]}})
    fix = next(a for a in actions if a["title"] == "Replace with 'PP-black-hole'")
    assert fix["edit"]["changes"] == {uri: [{"range": unknown["range"], "newText": "PP-black-hole"}]}
    # and a rename reaches the id there (it was left out: its range did not read as the id)
    client.change(uri, changed.replace("PP-blackhole", "PP-black-hole"))
    client.wait_for(uri, lambda d: "CXP102" not in codes(d))
    edit = client.request("textDocument/rename", {**_at(portfolio / "pain_points.yaml", "id: PP-black-hole", offset=5),
                                                  "newName": "PP-no-news"})
    start = unknown["range"]["start"]
    assert {"start": start, "end": {"line": start["line"], "character": start["character"] + len("PP-black-hole")}} \
        in [e["range"] for e in edit["changes"][uri]]
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP102" not in codes(d))


@pytest.mark.parametrize(("written", "fixed", "replaced"), [
    ("status: pågår", "status: in_progress", "pågår"),  # a choice in Norwegian
    ('status: "in progres"', 'status: "in_progress"', "in progres"),  # misspelt, quoted
    ("staus: in_progress", "status: in_progress", "staus"),  # a misspelt key
])
def test_a_refused_choice_or_key_is_fixed_by_the_quick_fix(client: Client, portfolio: Path, written: str,
                                                           fixed: str, replaced: str) -> None:
    path = portfolio / "units" / "digital.yaml"
    uri = client.open(path)
    original = path.read_text(encoding="utf-8")
    assert original.count("status: in_progress") >= 1
    client.change(uri, original.replace("status: in_progress", written, 1))
    refused = next(d for d in client.wait_for(uri, lambda d: "CXP002" in codes(d)) if d["code"] == "CXP002")
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": refused["range"], "context": {"diagnostics": [refused]}})
    suggested = fixed.split(": ")[0] if replaced == "staus" else "in_progress"
    fix = next(a for a in actions if a["title"] == f"Replace with '{suggested}'")
    [edit] = fix["edit"]["changes"][uri]
    line = original.replace("status: in_progress", written, 1).splitlines()[edit["range"]["start"]["line"]]
    assert line[edit["range"]["start"]["character"]:edit["range"]["end"]["character"]] == replaced
    assert line[:edit["range"]["start"]["character"]] + edit["newText"] + line[edit["range"]["end"]["character"]:] \
        == line.replace(written, fixed)
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP002" not in codes(d))


@pytest.mark.parametrize(("original", "written", "code", "typed"), [
    ("addresses: [PP-black-hole]", "addresses: [PP-blak-hole]", "CXP102", "PP-jargon, "),  # an unknown id
    ("status: in_progress", "status: pågår", "CXP002", "  "),  # a choice, in Norwegian
    ("effort: 8", "efort: 8", "CXP002", "x-note: 1\n    "),  # a misspelt key (a line typed above it)
    ("status: in_progress", "staus: in_progress", "CXP002", "x-note: 1\n    "),  # a required key (rename 'staus')
])
def test_a_quick_fix_for_a_diagnostic_of_an_older_text_edits_nothing(client: Client, portfolio: Path, original: str,
                                                                      written: str, code: str, typed: str) -> None:
    path = portfolio / "units" / "digital.yaml"
    uri = client.open(path)
    text = path.read_text(encoding="utf-8")
    client.change(uri, text.replace(original, written, 1))
    shown = next(d for d in client.wait_for(uri, lambda d: code in codes(d)) if d["code"] == code)
    start = shown["range"]["start"]
    # Text typed just before it: the editor still shows (and sends) the old diagnostic,
    # whose range now covers other text.
    client.edit(uri, ((start["line"], start["character"]), (start["line"], start["character"]), typed))
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": shown["range"], "context": {"diagnostics": [shown]}})
    assert not [a for a in actions if a["title"].startswith("Replace with")], actions
    # The diagnostic of the text as it stands is still fixed.
    fresh = next(d for d in client.wait_for(uri, lambda d: any(
        x["code"] == code and x["range"] != shown["range"] for x in d)) if d["code"] == code)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": fresh["range"], "context": {"diagnostics": [fresh]}})
    assert [a for a in actions if a["title"].startswith("Replace with")], actions
    client.change(uri, text)
    client.wait_for(uri, lambda d: code not in codes(d))


def test_columns_are_counted_in_utf16_units_after_an_emoji(client: Client, portfolio: Path) -> None:
    path = portfolio / "pain_points.yaml"
    uri = client.open(path)
    original = path.read_text(encoding="utf-8")
    line = '  - {id: PP-app, journey: mortgage, title: "📱📱 app", stage: decison, severity: 2}'
    edited = original.replace("pain_points:\n", f"pain_points:\n{line}\n", 1)
    client.change(uri, edited)
    stage = next(d for d in client.wait_for(uri, lambda d: "CXP103" in codes(d)) if d["code"] == "CXP103")
    in_code_points = line.index("decison")
    # Each emoji is one code point (what `check` counts) and two UTF-16 units.
    assert stage["range"]["start"] == {"line": 2, "character": in_code_points + 2}
    assert stage["range"]["end"] == {"line": 2, "character": in_code_points + 2 + len("decison")}
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP103" not in codes(d))


def test_a_half_typed_file_makes_no_finding_appear_elsewhere(client: Client, portfolio: Path) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    # the open's own publication first (run alone, the client has seen none of it yet)
    client.wait_for((portfolio / "units" / "advisory.yaml").as_uri(), lambda d: "CXP201" in codes(d))
    client.settle()
    others = {p.as_uri() for p in portfolio.rglob("*.yaml")} - {uri}
    before = {u: sorted((d["code"], d["range"]["start"]["line"]) for d in client.diagnostics.get(u, []))
              for u in others}
    original = digital.read_text(encoding="utf-8")
    client.change(uri, original + "  - id: DIG-999\n    title: [half typed\n")
    syntax = client.wait_for(uri, lambda d: "CXP001" in codes(d))
    # At the `[` still open at the end of the file.
    assert codes(syntax) == ["CXP001"] and syntax[0]["range"]["start"] == {"line": original.count("\n") + 1,
                                                                           "character": 11}
    time.sleep(0.3)  # a later, wrong publication would have arrived by now
    after = {u: sorted((d["code"], d["range"]["start"]["line"]) for d in client.diagnostics.get(u, []))
             for u in others}
    # The file's last readable text stands in for it: what rests on its entities (a
    # duplicate cluster with DIG-007, the units on PP-black-hole) stays put.
    assert after == before and sum(map(len, after.values())) > 0
    # Where the parser stopped, as `check` relates it.
    (related,) = syntax[0]["relatedInformation"]
    assert related["location"]["uri"] == uri
    assert related["location"]["range"]["start"] == {"line": original.count("\n") + 2, "character": 0}
    assert related["message"] == "where the parser stopped: the end of the file"
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP001" not in codes(d))


def test_related_places_in_a_half_typed_file_are_left_out_not_misplaced(client: Client, portfolio: Path) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    pains = (portfolio / "pain_points.yaml").as_uri()

    def into_digital(found: list[dict[str, Any]]) -> int:
        return sum(r["location"]["uri"] == uri for d in found for r in d.get("relatedInformation") or [])

    assert into_digital(client.wait_for(pains, lambda d: "CXP202" in codes(d))) > 0
    # Three lines typed above the entities, the last half done: their lines moved, and the
    # text that stands in for the buffer no longer tells where they are.
    client.change(uri, original.replace("initiatives:\n", "initiatives:\n  - id: DIG-500\n    title: New\n"
                                        "    addresses: [PP-\n", 1))
    client.wait_for(uri, lambda d: codes(d) == ["CXP001"])
    client.wait_for(pains, lambda d: "CXP202" in codes(d) and into_digital(d) == 0)
    client.change(uri, original)
    client.wait_for(pains, lambda d: into_digital(d) > 0)


def test_a_request_right_after_an_edit_answers_from_the_text_as_typed(client: Client, portfolio: Path) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(original.split("\n")) if "addresses: [PP-black-hole" in text)
    typed = original.replace("addresses: [PP-black-hole", "addresses: [PP-x, PP-black-hole", 1)
    column = typed.split("\n")[line].index("PP-black-hole")
    client.change(uri, typed)  # and at once, inside the debounce: the rename must see this text
    edit = client.request("textDocument/rename", {"textDocument": {"uri": uri},
                                                  "position": {"line": line, "character": column + 3},
                                                  "newName": "PP-no-news"})
    here = [e["range"] for e in edit["changes"][uri] if e["range"]["start"]["line"] == line]
    assert here == [{"start": {"line": line, "character": column},
                     "end": {"line": line, "character": column + len("PP-black-hole")}}]
    client.change(uri, original)
    client.wait_for(uri, lambda d: not any("PP-x" in x["message"] for x in d))


def _at(path: Path, text: str, offset: int = 0, occurrence: int = 0) -> dict[str, Any]:
    where = position_of(path, text, occurrence)
    return {"textDocument": {"uri": path.as_uri()},
            "position": {"line": where["line"], "character": where["character"] + offset}}


def test_definition_and_references_join_an_id_across_files(client: Client, portfolio: Path) -> None:
    digital, pains = portfolio / "units" / "digital.yaml", portfolio / "pain_points.yaml"
    client.open(digital)
    found = client.request("textDocument/definition", _at(digital, "PP-black-hole", offset=3))
    assert found == [{"uri": pains.as_uri(),
                      "range": {"start": {"line": 21, "character": 8}, "end": {"line": 21, "character": 21}}}]
    places = client.request("textDocument/references", {**_at(pains, "id: PP-black-hole", offset=5),
                                                        "context": {"includeDeclaration": False}})
    written = sorted((Path(p["uri"][len("file://"):]).name, p["range"]["start"]["line"]) for p in places)
    expected = sorted((p.name, n) for p in (portfolio / "units").glob("*.yaml")
                      for n, line in enumerate(p.read_text(encoding="utf-8").split("\n")) if "PP-black-hole" in line)
    assert written == expected and len(written) == 7
    # A stage is defined in its journey: from a pain point's `stage:` to the journey's stage list.
    stage = client.request("textDocument/definition", _at(pains, "stage: decision", offset=8))
    assert [(Path(s["uri"]).name, s["range"]["start"]["line"]) for s in stage] == [("journeys.yaml", 9)]


def test_hover_says_what_an_id_is_and_an_initiatives_rank(client: Client, portfolio: Path) -> None:
    digital = portfolio / "units" / "digital.yaml"
    pain = client.request("textDocument/hover", _at(digital, "PP-black-hole"))["contents"]["value"]
    assert "**pain point** `PP-black-hole`: Applicants hear nothing after applying" in pain
    assert "journey `mortgage`, stage `decision`" in pain and "severity 4" in pain
    initiative = client.request("textDocument/hover", _at(digital, "DIG-007"))["contents"]["value"]
    assert "**initiative** `DIG-007`: Application status tracker in the online bank" in initiative
    assert "unit `digital`, status in_progress" in initiative
    assert re.search(r"rank \d+ of \d+ open initiatives: priority [\d.e+-]+ = impact", initiative)
    assert client.request("textDocument/hover", _at(digital, "title: Application", offset=1)) is None


def test_completion_offers_ids_of_the_kind_the_key_takes(client: Client, portfolio: Path) -> None:
    digital, pains = portfolio / "units" / "digital.yaml", portfolio / "pain_points.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    client.change(uri, original.replace("addresses: [PP-black-hole]", "addresses: [PP-black-hole, ]", 1))
    where = _at(digital, "addresses: [PP-black-hole]", offset=len("addresses: [PP-black-hole, "))
    items = client.request("textDocument/completion", where)
    labels = [i["label"] for i in sorted(items, key=lambda i: i["sortText"])]
    pains_written = yaml.safe_load(pains.read_text(encoding="utf-8"))["pain_points"]
    # Every pain point but the one already in the list, the mortgage journey's first.
    assert set(labels) == {p["id"] for p in pains_written} - {"PP-black-hole"}
    journey = {p["id"]: p["journey"] for p in pains_written}
    assert all(journey[label] == "mortgage" for label in labels[:2])
    jargon = next(p for p in pains_written if p["id"] == "PP-jargon")
    assert {"label": "PP-jargon", "detail": jargon["title"]}.items() <= \
        next(i for i in items if i["label"] == "PP-jargon").items()
    status = client.request("textDocument/completion", _at(digital, "status: in_progress", offset=len("status: ")))
    assert [i["label"] for i in status] == ["idea", "proposed", "approved", "in_progress", "done", "dropped"]
    client.change(uri, original)
    stages = client.request("textDocument/completion", _at(pains, "stage: decision", offset=len("stage: ")))
    assert [i["label"] for i in stages] == ["explore", "apply", "decision", "sign", "payout"]


def test_a_stage_whose_name_is_refused_is_hovered_and_offered_by_its_id(client: Client, portfolio: Path) -> None:
    """Issue 14: a stage whose name alone is refused (`name: [Apply online]`) stays in its
    journey, its name unknown: hover on a pain point's `stage: apply` says so rather than
    showing a name, and stage completion offers it without one."""
    journeys, pains = portfolio / "journeys.yaml", portfolio / "pain_points.yaml"
    original = journeys.read_text(encoding="utf-8")
    uri = client.open(journeys)
    client.change(uri, original.replace("name: Apply online or with an adviser,", "name: [Apply online],", 1))
    client.wait_for(uri, lambda d: "CXP002" in codes(d))
    hover = client.request("textDocument/hover", _at(pains, "stage: apply", offset=8))["contents"]["value"]
    assert hover.startswith("**stage** `apply` of journey `mortgage`: *its name is refused*  \ncompletion 0.7")
    stages = client.request("textDocument/completion", _at(pains, "stage: apply", offset=len("stage: ")))
    assert [(i["label"], i.get("detail")) for i in stages][:3] == [
        ("explore", "Explore options and prices"), ("apply", ""), ("decision", "Get a decision")]
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP002" not in codes(d))


def test_diagnostics_say_which_version_of_an_open_file_they_are_for(client: Client, portfolio: Path) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    client.change(uri, original.replace("addresses: [PP-black-hole]", "addresses: [PP-versioned]", 1))
    client.wait_for(uri, lambda d: any("PP-versioned" in x["message"] for x in d))
    assert client.published_versions[uri] == client.versions[uri]
    assert client.published_versions[(portfolio / "kpis.yaml").as_uri()] is None  # not open: no version
    client.change(uri, original)
    client.wait_for(uri, lambda d: not any("PP-versioned" in x["message"] for x in d))


def test_a_completion_replaces_the_whole_id_typed_so_far(client: Client, portfolio: Path) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    client.change(uri, original.replace("addresses: [PP-black-hole]", "addresses: [PP-black-hole, PP-ja]", 1))
    line = next(n for n, text in enumerate(original.split("\n")) if "addresses: [PP-black-hole]" in text)
    start = original.split("\n")[line].index("PP-black-hole]") + len("PP-black-hole, ")
    cursor = {"line": line, "character": start + len("PP-ja")}
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": cursor})
    jargon = next(i for i in items if i["label"] == "PP-jargon")
    # The hyphenated prefix is replaced whole: an editor ending words at '-' would
    # otherwise insert after 'PP-' and write PP-PP-jargon.
    assert jargon["textEdit"] == {"range": {"start": {"line": line, "character": start}, "end": cursor},
                                  "newText": "PP-jargon"}
    assert jargon["filterText"] == "PP-jargon"
    # With the cursor inside an id, the rest of it after the cursor is replaced too.
    inside = {"line": line, "character": start + len("PP-j")}
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": inside})
    jargon = next(i for i in items if i["label"] == "PP-jargon")
    assert jargon["textEdit"]["range"] == {"start": {"line": line, "character": start}, "end": cursor}
    client.change(uri, original)


@pytest.mark.parametrize(("typed", "label", "inserted"), [
    ("addresses:", "PP-jargon", " [PP-jargon]"),  # no space yet, and a list belongs there
    ("addresses: ", "PP-jargon", "[PP-jargon]"),
    ("addresses: PP-ja", "PP-jargon", "[PP-jargon]"),
    ("depends_on: ", "IT-003", "[IT-003]"),
    ("addresses: [PP-black-hole, ", "PP-jargon", "PP-jargon"),  # inside a list already
    ("status:", "idea", " idea"),
    ("status:id", "idea", " idea"),
    ("status: ", "idea", "idea"),
])
def test_a_completion_writes_a_value_yaml_reads_as_the_key_takes_it(client: Client, portfolio: Path, typed: str,
                                                                      label: str, inserted: str) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    head = "  - id: DIG-600\n    title: New thing\n" + ("" if typed.startswith("status") else "    status: idea\n")
    text = original.rstrip("\n") + "\n" + head + "    " + typed + ("]" if "[" in typed else "")
    client.change(uri, text)
    line = text.count("\n")
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": line, "character": len(typed) + 4}})
    item = next(i for i in items if i["label"] == label)
    assert item["textEdit"]["newText"] == inserted
    fixed = _applied(text, [item["textEdit"]]) + "\n"
    client.change(uri, fixed)
    # A request runs the check the debounce holds back, and its diagnostics come before the answer.
    client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
    assert not [d for d in client.diagnostics[uri] if d["code"] in ("CXP001", "CXP002")]
    client.change(uri, original)


def test_rename_changes_the_id_in_every_file(client: Client, portfolio: Path) -> None:
    digital, pains = portfolio / "units" / "digital.yaml", portfolio / "pain_points.yaml"
    edit = client.request("textDocument/rename", {**_at(digital, "PP-black-hole"), "newName": "PP-no-news"})
    edits = [(Path(uri).name, e["range"]["start"]["line"], e["newText"])
             for uri, changes in edit["changes"].items() for e in changes]
    assert (pains.name, 21, "PP-no-news") in edits and len(edits) == 8
    assert {name for name, _, _ in edits} == {"pain_points.yaml", "advisory.yaml", "customer-service.yaml",
                                              "digital.yaml", "hr.yaml", "it-platform.yaml", "retail.yaml"}


def test_the_allow_quick_fix_adds_an_entry_whose_reason_is_still_to_write(client: Client, portfolio: Path) -> None:
    pains = portfolio / "pain_points.yaml"
    uri = client.open(pains)
    original = pains.read_text(encoding="utf-8")
    assumption = next(d for d in client.wait_for(uri, lambda d: "CXP403" in codes(d))
                      if "PP-empty-first-login" in d["message"])
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": assumption["range"], "context": {"diagnostics": [assumption]}})
    accept = next(a for a in actions if a["title"].startswith("Accept CXP403 on PP-empty-first-login"))
    (edit,) = accept["edit"]["changes"][uri]
    assert edit["range"]["start"] == {"line": assumption["range"]["start"]["line"] + 1, "character": 0}
    assert edit["newText"] == '    allow:\n      - {rule: CXP403, reason: ""}\n'
    lines = original.split("\n")
    lines.insert(edit["range"]["start"]["line"], edit["newText"][:-1])
    client.change(uri, "\n".join(lines))
    # Well-formed where it went: the empty reason is the one thing left to say (CXP002).
    found = client.wait_for(uri, lambda d: "CXP002" in codes(d))
    assert any("reason" in d["message"] and d["range"]["start"]["line"] == edit["range"]["start"]["line"] + 1
               for d in found if d["code"] == "CXP002")
    client.change(uri, "\n".join(lines).replace('reason: ""', 'reason: "interviews planned for Q3"'))
    client.wait_for(uri, lambda d: not any("PP-empty-first-login" in x["message"] for x in d if x["code"] == "CXP403"))
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP002" not in codes(d))


def test_no_allow_quick_fix_is_offered_inside_a_one_line_entry(client: Client, portfolio: Path) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    client.change(uri, original.replace("initiatives:\n", "initiatives:\n  - {id: DIG-099, title: Flow one, "
                                        "addresses: [PP-nope], effort: 2, status: approved}\n", 1))
    unknown = next(d for d in client.wait_for(uri, lambda d: any("PP-nope" in x["message"] for x in d))
                   if "PP-nope" in d["message"])
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]}})
    # An `allow:` line cannot go inside `{…}`: no edit that would break the YAML.
    assert not [a for a in actions if a["title"].startswith("Accept CXP102 on DIG-099")]
    client.change(uri, original)
    client.wait_for(uri, lambda d: not any("PP-nope" in x["message"] for x in d))


def test_a_file_changed_on_disk_is_checked_again(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = copy_of_example(tmp_path_factory, "watched")
    client = Client(root)
    capabilities = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
    client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities})
    client.notify("initialized", {})
    try:
        uri = client.open(root / "units" / "digital.yaml")
        pains = (root / "pain_points.yaml").as_uri()
        client.wait_for(pains, lambda d: any("hr" in x["message"] for x in d if x["code"] == "CXP202"))
        (root / "units" / "hr.yaml").unlink()  # a git checkout, say: no edit in the editor
        client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": (root / "units" / "hr.yaml").as_uri(), "type": 3}]})
        client.wait_for(pains, lambda d: not any("hr" in x["message"] for x in d if x["code"] == "CXP202"))
        assert uri in client.diagnostics
    finally:
        client.close()


def _watching(root: Path) -> Client:
    """A client that watches files for the server, as VS Code does."""
    client = Client(root)
    capabilities = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
    client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities})
    client.notify("initialized", {})
    return client


def test_a_portfolio_deleted_takes_its_diagnostics_and_brings_them_back(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found in review: with cxportfolio.yaml deleted (a checkout of a branch without the
    portfolio), every finding stayed in the editor; back, the open files count as typed."""
    root = copy_of_example(tmp_path_factory, "gone")
    client = _watching(root)
    try:
        digital = root / "units" / "digital.yaml"
        uri = client.open(digital)
        pains = (root / "pain_points.yaml").as_uri()
        client.wait_for(pains, lambda d: "CXP202" in codes(d))
        config = root / "cxportfolio.yaml"
        saved = config.read_bytes()
        config.unlink()
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 3}]})
        client.wait_for(pains, lambda d: d == [])
        client.wait_for(uri, lambda d: d == [])
        # typed while there is no portfolio: nothing to say, and not lost
        client.change(uri, digital.read_text(encoding="utf-8").replace("[PP-black-hole]", "[PP-typed-meanwhile]", 1))
        config.write_bytes(saved)
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 1}]})
        client.wait_for(pains, lambda d: "CXP202" in codes(d))
        typed = client.wait_for(uri, lambda d: "CXP102" in codes(d))
        assert any("PP-typed-meanwhile" in d["message"] for d in typed if d["code"] == "CXP102")
    finally:
        client.close()


def test_a_file_of_a_nested_portfolio_shows_only_its_own_portfolios_findings(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found in review: a portfolio kept inside another (read by the outer one as documents,
    docs/format.md) had each file's diagnostics replaced in turn by the outer check's and its own."""
    outer = copy_of_example(tmp_path_factory, "outer")
    inner = outer / "archive" / "agency"
    shutil.copytree(Path(__file__).resolve().parents[1] / "portfolios" / "welfare-agency", inner)
    inner_pains = inner / "pain_points.yaml"
    alone = json.loads(subprocess.run(
        [sys.executable, "-m", "cxportfolio", "check", str(inner), "--as-of", "2026-06-30", "--format", "json"],
        capture_output=True, text=True, check=False).stdout)
    expected = sorted((f["line"] - 1, f["code"]) for f in alone["findings"] if f["file"] == "pain_points.yaml")
    assert expected and not any(f["file"] == "cxportfolio.yaml" for f in alone["findings"])

    def seen(uri: str) -> list[tuple[int, str]]:
        return sorted((x["range"]["start"]["line"], x["code"]) for x in client.diagnostics.get(uri, []))

    client = _watching(outer)
    try:
        pains_uri = client.open(inner_pains)
        client.wait_for(pains_uri, lambda d: seen(pains_uri) == expected)
        digital = outer / "units" / "digital.yaml"
        uri = client.open(digital)  # the outer portfolio checked, the agency's files read as its documents
        client.change(uri, digital.read_text(encoding="utf-8").replace("[PP-black-hole]", "[PP-typed]", 1))
        client.wait_for(uri, lambda d: "CXP102" in codes(d))
        assert seen(pains_uri) == expected
        # the outer check's "unknown top-level key 'organization'" is no finding of the agency's
        assert seen((inner / "cxportfolio.yaml").as_uri()) == []
    finally:
        client.close()


@pytest.mark.parametrize("first", ["outer", "inner"])
def test_a_nested_portfolios_files_show_the_outer_findings_once_its_config_goes(
        tmp_path_factory: pytest.TempPathFactory, first: str) -> None:
    """Found by a tester: with the outer portfolio's file opened first, its check showed the
    former nested portfolio's files their findings, then the nested session, gone, withdrew
    them, and the files showed nothing."""
    outer = copy_of_example(tmp_path_factory, "nested-gone")
    config = outer / "sub" / "cxportfolio.yaml"
    (outer / "sub" / "units").mkdir(parents=True)
    config.write_text("organization: Sub\nyear: 2026\ntarget: {improvements: 5}\n", encoding="utf-8")
    nested = outer / "sub" / "units" / "x.yaml"
    nested.write_text("unit: digital\ninitiatives:\n  - id: SUB-1\n    title: Sub thing\n"
                      "    addresses: [PP-nope]\n    status: idea\n", encoding="utf-8")

    def unknown(uri: str) -> list[str]:
        return sorted(x["message"].split("\n")[0] for x in client.diagnostics.get(uri, []) if x["code"] == "CXP102")

    client = _watching(outer)
    try:
        files = [outer / "units" / "digital.yaml", nested]
        uris = [client.open(path) for path in (files if first == "outer" else files[::-1])]
        uri = nested.as_uri()
        # its own portfolio defines no unit: the unit and the pain point are unknown
        client.wait_for(uri, lambda d: len(unknown(uri)) == 2)
        config.unlink()
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 3}]})
        outer_says = ["addresses[0] names unknown pain point 'PP-nope' (initiative SUB-1)"]
        client.wait_for(uri, lambda d: unknown(uri) == outer_says)
        time.sleep(1.0)  # both checks ran (150 ms each): nothing withdraws it after
        client.request("textDocument/hover", {"textDocument": {"uri": uris[0]},
                                              "position": {"line": 0, "character": 0}})
        assert unknown(uri) == outer_says
    finally:
        client.close()


def test_the_diagnostics_of_a_day_are_checked_again_when_the_date_moves(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found by a tester: without --as-of, an editor open overnight showed yesterday's
    date findings, and the quick fix wrote yesterday's date, until something was edited."""
    root = copy_of_example(tmp_path_factory, "clock")
    today = root.parent / "today.txt"
    today.write_text("2026-07-01", encoding="utf-8")
    # The real server, its clock read from a file: the day moves when the test says.
    client = Client(root, [sys.executable, "-c", "import datetime as dt, pathlib, sys; "
                           "from cxportfolio.lsp.server import make_server; "
                           "make_server(clock=lambda: dt.date.fromisoformat(pathlib.Path(sys.argv[1]).read_text()))"
                           ".start_io()", str(today)])
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        digital = root / "units" / "digital.yaml"
        uri = client.open(digital)

        def future() -> list[str]:
            return sorted(d["message"].split("\n")[0] for d in client.diagnostics[uri]
                          if "in the future" in d["message"])

        client.wait_for(uri, lambda d: any("in the future (as of 2026-07-01)" in x["message"] for x in d))
        assert len(future()) == 2
        today.write_text("2026-09-04", encoding="utf-8")
        # No edit: the next message (here a hover) finds the day moved, and the check runs
        # before the answer, so its diagnostics come first.
        client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
        assert future() == []
        undated = digital.read_text(encoding="utf-8").replace("    completed: 2026-04-30\n", "", 1)
        client.change(uri, undated)
        missing = next(d for d in client.wait_for(uri, lambda d: any("no completed date" in x["message"] for x in d))
                       if "no completed date" in d["message"])
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": missing["range"], "context": {"diagnostics": [missing]}})
        assert any(a["title"].startswith("Add completed: 2026-09-04") for a in actions)
    finally:
        client.close()


@pytest.mark.parametrize(("now", "wait"), [
    ("2026-07-01T23:59:59", 2.0),      # a second past midnight
    ("2026-12-31T23:30:00", 1801.0),   # into the next year
    ("2026-07-01T09:00:00", 3600.0),   # within the hour: the loop's clock stops while asleep
    ("2026-07-02T00:00:00", 3600.0),
])
def test_the_server_looks_at_the_date_just_after_midnight_or_within_the_hour(now: str, wait: float) -> None:
    from cxportfolio.lsp.server import seconds_to_next_look

    assert seconds_to_next_look(dt.datetime.fromisoformat(now)) == wait


def test_the_midnight_timer_checks_again_and_sets_itself_for_the_next_day() -> None:
    """The day moves while nothing is typed: the timer re-checks the portfolios and sets
    itself again (the per-message look is the other test's)."""
    from cxportfolio.lsp.server import make_server

    server = make_server()
    times = iter([dt.datetime(2026, 7, 1, 23, 59, 59, 950_000), dt.datetime(2026, 7, 2, 0, 0, 1)])
    server.now = lambda: next(times)
    looked: list[float] = []
    server.recheck_if_the_day_moved = lambda: looked.append(asyncio.get_running_loop().time())  # type: ignore[method-assign]

    async def overnight() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        server.wake_at_midnight()
        await asyncio.sleep(1.5)
        assert server._midnight is not None
        return server._midnight.when() - start

    next_look = asyncio.run(overnight())
    assert len(looked) == 1  # a second past midnight, once
    assert 3600 < next_look < 3602  # set again at 00:00:01 for an hour on: 1.05 s + 3,600 s from the start


def test_a_cluster_is_accepted_by_one_action_writing_an_allow_on_each_member(client: Client,
                                                                            portfolio: Path) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    cluster = next(d for d in client.wait_for(uri, lambda d: "CXP201" in codes(d)) if d["code"] == "CXP201")
    members = cluster["data"]["entities"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": cluster["range"], "context": {"diagnostics": [cluster]}})
    accept = next(a for a in actions if a["title"].startswith(f"Accept CXP201 on all {len(members)} ("))
    changes = accept["edit"]["changes"]
    assert sum(len(edits) for edits in changes.values()) == len(members)
    originals = {target: Path(urllib.parse.unquote(urllib.parse.urlparse(target).path)).read_text(encoding="utf-8")
                 for target in changes}
    for target, edits in changes.items():
        lines = originals[target].split("\n")
        for edit in sorted(edits, key=lambda e: -e["range"]["start"]["line"]):
            assert edit["newText"].endswith('- {rule: CXP201, reason: ""}\n')
            lines.insert(edit["range"]["start"]["line"], edit["newText"][:-1].replace('""', '"joint delivery"'))
        if target != uri:
            client.open(Path(urllib.parse.unquote(urllib.parse.urlparse(target).path)))
        client.change(target, "\n".join(lines))
    # Every member agreed, each in its own file: the cluster is accepted, and nothing
    # else is reported about the allows written.
    client.wait_for(uri, lambda d: not any(x["code"] == "CXP201" and x["data"]["entities"] == members for x in d))
    assert not [d for target in changes for d in client.diagnostics[target] if d["code"] == "CXP002"]
    for target, text in originals.items():
        client.change(target, text)
    client.wait_for(uri, lambda d: any(x["code"] == "CXP201" and x["data"]["entities"] == members for x in d))


def _a_newcomer_to_the_accepted_cluster(tmp_path_factory: pytest.TempPathFactory, name: str,
                                        extra: str) -> tuple[Client, Path, str, dict[str, Any]]:
    """A copy of the example where CS-099 (its item ending in `extra`) joins the cluster the
    example accepts with an allow: on each member, a server on it (the caller closes it),
    and the cluster's live CXP201 as the server publishes it on customer-service.yaml."""
    root = copy_of_example(tmp_path_factory, name)
    service = root / "units" / "customer-service.yaml"
    service.write_text(service.read_text(encoding="utf-8") + (
        "  - id: CS-099\n    title: Application status tracker for the call centre\n"
        "    addresses: [PP-black-hole]\n    status: proposed\n" + extra), encoding="utf-8")
    client = Client(root)
    client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    try:
        uri = client.open(service)
        cluster = next(d for d in client.wait_for(uri, lambda d: any("CS-099" in x["message"] for x in d))
                       if d["code"] == "CXP201" and "CS-099" in d["message"])
    except BaseException:
        client.close()
        raise
    return client, service, uri, cluster


def test_the_accept_quick_fix_writes_only_on_a_newcomer_to_an_accepted_cluster(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found by a newcomer: a fourth initiative joined a cluster accepted with an allow:
    on each of three (live again, as format.md says: "add the allow to the newcomer too");
    "Accept" wrote an allow with an empty reason on all four, so the three that had agreed
    got a second entry each, three CXP002 errors to undo. It writes on the newcomer only."""
    client, service, uri, cluster = _a_newcomer_to_the_accepted_cluster(tmp_path_factory, "newcomer", "")
    try:
        assert "but not on CS-099" in cluster["message"]
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": cluster["range"], "context": {"diagnostics": [cluster]}})
        (accept,) = [a for a in actions if a["title"].startswith("Accept CXP201")]
        assert accept["title"].startswith("Accept CXP201 on CS-099 with an allow:")
        assert "DIG-007, RET-001 accept it already" in accept["title"]
        (edit,) = accept["edit"]["changes"][uri]
        assert list(accept["edit"]["changes"]) == [uri]
        client.change(uri, _applied(service.read_text(encoding="utf-8"), [
            {**edit, "newText": edit["newText"].replace('""', '"one tracker"')}]))
        client.wait_for(uri, lambda d: not any(x["code"] == "CXP201" and "CS-099" in x["message"] for x in d))
        assert not [d for d in client.diagnostics[uri] if d["code"] == "CXP002"]
    finally:
        client.close()


def test_no_accept_quick_fix_adds_a_second_allow_where_one_for_the_rule_was_refused(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found by a newcomer: "Accept" applied and its reason left empty (CXP002), the
    finding's hint says "the allow: on CS-099 was refused: correct it", but the editor
    still offered "Accept CXP201 on CS-099", which wrote a second empty entry there.
    The entry to correct is there: nothing more is written."""
    client, _, uri, cluster = _a_newcomer_to_the_accepted_cluster(
        tmp_path_factory, "refused-allow", "    allow:\n      - {rule: CXP201, reason: \"\"}\n")
    try:
        assert "the allow: on CS-099 was refused" in cluster["message"]
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": cluster["range"], "context": {"diagnostics": [cluster]}})
        assert not [a for a in actions if a["title"].startswith("Accept CXP201")]
    finally:
        client.close()


def test_the_completed_quick_fix_dates_a_done_initiative(client: Client, portfolio: Path) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    undated = original.replace("    completed: 2026-04-30\n", "", 1)
    client.change(uri, undated)
    undated_found = client.wait_for(uri, lambda d: any("no completed date" in x["message"] for x in d))
    missing = next(d for d in undated_found if d["code"] == "CXP105" and "no completed date" in d["message"])
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": missing["range"], "context": {"diagnostics": [missing]}})
    add = next(a for a in actions if a["title"].startswith("Add completed: 2026-06-30"))
    (edit,) = add["edit"]["changes"][uri]
    # On the line after `status: done`, at its indentation, with the check's date.
    assert edit["range"]["start"] == {"line": missing["range"]["start"]["line"] + 1, "character": 0}
    assert edit["newText"] == "    completed: 2026-06-30\n"
    lines = undated.split("\n")
    lines.insert(edit["range"]["start"]["line"], edit["newText"][:-1])
    client.change(uri, "\n".join(lines))
    client.wait_for(uri, lambda d: not any("no completed date" in x["message"] for x in d))
    # `completed:` written without its date: no second `completed:` offered (a CXP003)
    client.change(uri, original.replace("    completed: 2026-04-30\n", "    completed:\n", 1))
    empty_found = client.wait_for(uri, lambda d: any("completed date is empty" in x["message"] for x in d))
    empty = next(d for d in empty_found if d["code"] == "CXP105" and "is empty" in d["message"])
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": empty["range"], "context": {"diagnostics": [empty]}})
    assert not [a for a in actions if a["title"].startswith("Add completed")]
    client.change(uri, original)


@pytest.mark.parametrize("status", ["status:\n      done\n", "status: !!str\n      done\n\n",
                                    "status: >-\n      done\n"])
def test_the_completed_quick_fix_goes_below_a_status_written_over_lines(client: Client, portfolio: Path,
                                                                        status: str) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    undated = original.replace("    status: done\n    completed: 2026-04-30\n", f"    {status}", 1)
    client.change(uri, undated)
    missing = next(d for d in client.wait_for(uri, lambda d: any("no completed date" in x["message"] for x in d))
                   if "no completed date" in d["message"])
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": missing["range"], "context": {"diagnostics": [missing]}})
    (edit,) = next(a for a in actions if a["title"].startswith("Add completed"))["edit"]["changes"][uri]
    # After the value `done` (its own line under the key), not between the key and it.
    fixed = _applied(undated, [edit])
    assert f"    {status.rstrip()}\n    completed: 2026-06-30\n" in fixed
    client.change(uri, fixed)
    client.wait_for(uri, lambda d: not any("no completed date" in x["message"] or x["code"] == "CXP002" for x in d))
    client.change(uri, original)


def test_no_quick_fix_writes_into_a_half_typed_file(client: Client, portfolio: Path) -> None:
    digital, advisory = portfolio / "units" / "digital.yaml", portfolio / "units" / "advisory.yaml"
    original = digital.read_text(encoding="utf-8")
    undated = original.replace("    completed: 2026-04-30\n", "", 1)
    # A new initiative being typed at the top of the list, its title's quote still open:
    # the check reads the file's last readable text, whose lines are not the buffer's.
    half_typed = undated.replace("  - id: DIG-007\n",
                                 '  - id: DIG-100\n    title: "Ny søknadsside\n  - id: DIG-007\n', 1)
    # A client that shows disabled actions is told why; one that does not is offered nothing.
    showing = Client(portfolio)
    showing.request("initialize", {"processId": None, "rootUri": portfolio.as_uri(),
                                   "capabilities": {"textDocument": {"codeAction": {"disabledSupport": True}}}})
    showing.notify("initialized", {})
    try:
        for each in (client, showing):
            uri, other = each.open(digital), each.open(advisory)
            each.change(uri, undated)
            missing = next(d for d in each.wait_for(uri, lambda d: any("no completed date" in x["message"] for x in d))
                           if "no completed date" in d["message"])
            cluster = next(d for d in each.wait_for(other, lambda d: any(
                x["code"] == "CXP201" and "DIG-012" in x["data"]["entities"] for x in d))
                if d["code"] == "CXP201" and "DIG-012" in d["data"]["entities"])
            each.change(uri, half_typed)
            each.wait_for(uri, lambda d: codes(d) == ["CXP001"])
            for target, shown, title in ((uri, missing, "Add completed"), (other, cluster, "Accept CXP201 on all 3")):
                actions = [a for a in each.request("textDocument/codeAction", {
                    "textDocument": {"uri": target}, "range": shown["range"], "context": {"diagnostics": [shown]}})
                    if a["title"].startswith(title)]
                assert not [a for a in actions if "edit" in a], actions
                if each is showing:
                    [action] = actions
                    assert action["disabled"]["reason"] == ("units/digital.yaml cannot be read as typed (see its "
                                                            "CXP001): correct it, then ask again")
                else:
                    assert actions == []
            each.change(uri, original)
            each.wait_for(uri, lambda d: "CXP001" not in codes(d) and not any(
                "no completed date" in x["message"] for x in d))
    finally:
        showing.close()


@pytest.mark.parametrize(("new_name", "why"), [
    ("PP black hole", "'PP black hole' is not an id: a letter, then letters, digits, '_', '.' or '-', "
                      "at most 64 characters"),
    # a name too long is quoted as an excerpt (SECURITY.md), not whole
    ("P" * 65, f"'{'P' * 63}…' is not an id: a letter, then letters, digits, '_', '.' or '-', at most 64 characters"),
    ("P" * 10_000, f"'{'P' * 63}…' is not an id: a letter, then letters, digits, '_', '.' or '-', "
                   "at most 64 characters"),
    ("PP-jargon", "'PP-jargon' is already an id in this portfolio: renaming onto it would define it twice (CXP101)"),
])
def test_a_rename_to_no_id_or_to_a_taken_one_is_refused_with_why(client: Client, portfolio: Path,
                                                                  new_name: str, why: str) -> None:
    digital = portfolio / "units" / "digital.yaml"
    client.next_id += 1
    answers = client.responses.setdefault(client.next_id, queue.Queue())
    client.send({"id": client.next_id, "method": "textDocument/rename",
                 "params": {**_at(digital, "PP-black-hole"), "newName": new_name}})
    error = answers.get(timeout=WAIT)["error"]
    # The protocol's RequestFailed, the reason as the editor shows it: no Python error, no
    # traceback — neither in the answer nor in the server's log (the editor's LSP log).
    assert error["code"] == -32803 and error["message"] == why and "traceback" not in str(error.get("data"))
    time.sleep(0.2)  # the log line, if any, is written before the answer is sent; let the reader catch up
    assert not any("Traceback" in line or "Refusal" in line for line in client.stderr), "".join(client.stderr)


def test_whatever_is_typed_the_server_keeps_answering(client: Client, portfolio: Path) -> None:
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    for typed in ("\x00\x01\x02 binary pasted \udc80", "initiatives: [" * 200, "x" * 200_000,
                  original[: len(original) // 2], "units:\n  - id: \u2028\n", ""):
        client.change(uri, typed)
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP001" not in codes(d))
    answer = client.request("textDocument/hover", _at(digital, "PP-black-hole"))
    assert "Applicants hear nothing" in answer["contents"]["value"]


def test_a_buffer_stands_in_only_for_a_file_the_portfolio_reads(portfolio: Path, tmp_path: Path) -> None:
    from cxportfolio.load import load_files
    from cxportfolio.load.yaml_reader import read_yaml

    root = tmp_path / "p"
    shutil.copytree(portfolio, root)
    kpis = root / "kpis.yaml"
    loaded = load_files(root, {kpis: read_yaml(b"kpis: []\n"), root / "new.yaml": read_yaml(b"units: []\n"),
                               tmp_path / "outside.yaml": read_yaml(b"units: []\n")})
    assert loaded.file("kpis.yaml").data == {"kpis": []}  # the unsaved text, not the file's
    assert [f.path for f in loaded.documents] == [f.path for f in load_files(root).documents]


def test_ids_after_a_refused_list_item_are_found_where_they_are_written(tmp_path: Path) -> None:
    """Validation drops a refused stage or reference: the ids after it were looked for
    one item up, where another id is written, and left out — `s1` had no definition to
    go to, `PP-1` in `addresses` no reference to rename."""
    from cxportfolio.load import load_files
    from cxportfolio.lsp.index import IdIndex
    from cxportfolio.model.portfolio import build_portfolio

    text = ("unit: u\nunits: [{id: u, name: U}]\njourneys:\n  - id: j\n    name: J\n    stages:\n"
            "      - {id: s0, name: S0, completion: 2}\n      - {id: s1, name: S1}\n"
            "pain_points:\n  - {id: PP-1, journey: j, stage: s1, title: Wait, severity: 3}\n"
            "initiatives:\n  - id: I1\n    title: T\n    status: idea\n    addresses: [5, PP-1]\n")
    (tmp_path / "cxportfolio.yaml").write_text("year: 2026\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    loaded = load_files(tmp_path)
    index = IdIndex(loaded, build_portfolio(loaded)[0], lambda file: text.split("\n"))
    [stage] = index.definitions(("stage", "j", "s1"))
    assert (stage.span.line, text.split("\n")[stage.span.line][stage.span.start:stage.span.end]) == (7, "s1")
    lines = sorted(o.span.line for o in index.references(("id", "PP-1")))
    assert lines == [14]  # addresses[1] as written, line 15 (0-based 14)


def test_references_and_rename_reach_ids_written_in_partly_refused_items(client: Client, portfolio: Path) -> None:
    """Found by a tester: the model drops an effect with a misspelt key or a refused
    change, and a list written as one text: their ids had no references there, and a
    rename left them behind, dangling once the mistake was corrected."""
    digital, kpis, pains = portfolio / "units" / "digital.yaml", portfolio / "kpis.yaml", portfolio / "pain_points.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    partial = original.replace("{kpi: decision-visibility, change: 20, confidence: 0.7}",
                               "{kpi: decision-visibility, change: 20, confidnce: 0.7}", 1) \
        .replace("{kpi: calls-per-application, change: -0.3}", '{kpi: calls-per-application, change: "lots"}', 1) \
        .replace("addresses: [PP-black-hole]", "addresses: PP-black-hole", 1)
    client.change(uri, partial)
    client.wait_for(uri, lambda d: sum(x["code"] == "CXP002" for x in d) == 3)
    lines = partial.split("\n")
    for path, ident, written in ((kpis, "decision-visibility", "confidnce"), (kpis, "calls-per-application", "lots"),
                                 (pains, "PP-black-hole", "addresses: PP-black-hole")):
        line = next(n for n, text in enumerate(lines) if written in text and ident in text)
        start = lines[line].index(ident)
        place = {"start": {"line": line, "character": start}, "end": {"line": line, "character": start + len(ident)}}
        where = _at(path, f"id: {ident}", offset=len("id: "))
        found = client.request("textDocument/references", {**where, "context": {"includeDeclaration": False}})
        assert {"uri": uri, "range": place} in found, (ident, found)
        renamed = client.request("textDocument/rename", {**where, "newName": ident + "-new"})
        assert {"range": place, "newText": ident + "-new"} in renamed["changes"][uri]
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP002" not in codes(d))


def test_a_file_not_utf8_on_disk_is_reported_as_check_reports_it(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found by a tester: a Latin-1 file shown decoded by the editor (valid text to the
    server) had no diagnostic while `check`, in CI, reports CXP001; and a byte kept as a
    lone surrogate (U+DCE5) was named as byte 0xed, which is not in the file."""
    root = copy_of_example(tmp_path_factory, "latin")
    path = root / "units" / "latin1.yaml"
    raw = "unit: digital\ninitiatives:\n  - id: L-1\n    title: Bl\xe5b\xe6r\n    addresses: [PP-jargon]\n" \
          "    status: idea\n".encode("latin-1")
    path.write_bytes(raw)
    uri = path.as_uri()
    client = Client(root)
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        for text, says in ((raw.decode("utf-8", "surrogateescape"), "byte 0xe5 is not valid UTF-8\n"),
                           (raw.decode("latin-1"), "the file on disk: byte 0xe5 is not valid UTF-8,")):
            client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                                    "text": text}})
            found = client.wait_for(uri, lambda d: any(x["message"].startswith(says) for x in d))
            [shown] = [d for d in found if d["code"] == "CXP001"]
            assert shown["range"]["start"] == {"line": 3, "character": 13}  # where check puts it: 4:14
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                                "text": raw.decode("latin-1")}})
        client.wait_for(uri, lambda d: "CXP001" in codes(d))
        path.write_text(raw.decode("latin-1"), encoding="utf-8")  # saved as UTF-8: nothing left to say
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        client.wait_for(uri, lambda d: "CXP001" not in codes(d))
    finally:
        client.close()


def test_edits_below_a_unicode_line_separator_land_where_the_editor_made_them(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found by an editor user: in a file holding U+2028 (pasted from a web page), NEL or
    a form feed, edits sent as ranges landed on the wrong line: pygls split the buffer's
    lines with str.splitlines, which breaks there too, where the protocol (and the editor)
    breaks only at \\n, \\r\\n and \\r. The server's copy was no longer the editor's text:
    a reference fixed stayed unknown, the separator removed left a syntax error."""
    root = copy_of_example(tmp_path_factory, "separators")
    path = root / "units" / "uni.yaml"
    client = Client(root)
    client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    try:
        for separator in ("\u2028", "\x85", "\x0c"):
            text = ("unit: digital\n"
                    f"# note{separator}pasted from a web page\n"
                    "initiatives:\n"
                    "  - {id: UNI-1, title: x, addresses: [PP-nope], effort: 1, size: quick_win, status: idea}\n")
            path.write_text(text, encoding="utf-8")
            uri = client.open(path)
            client.wait_for(uri, lambda d: "CXP001" in codes(d))
            column = text.split("\n")[3].index("PP-nope")
            client.edit(uri, ((3, column), (3, column + len("PP-nope")), "PP-black-hole"))  # the reference fixed
            client.edit(uri, ((1, 6), (1, 7), " "))  # and the separator replaced by a space
            # The editor's text now reads clean, as `check` finds it once saved.
            client.wait_for(uri, lambda d: d == [] and client.published_versions[uri] == 3)
            found = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                               "position": {"line": 3, "character": column + 3}})
            assert [(Path(f["uri"]).name, f["range"]["start"]["line"]) for f in found] == [("pain_points.yaml", 21)]
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    finally:
        client.close()


def _applied(text: str, edits: list[dict[str, Any]]) -> str:
    """`text` with the protocol's edits made, each asserted to be a position of the text
    (ASCII here: characters are UTF-16 units)."""
    lines = re.split(r"\r\n|\r|\n", text)
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                       reverse=True):
        start, end = edit["range"]["start"], edit["range"]["end"]
        for at in (start, end):
            assert at["line"] < len(lines) and at["character"] <= len(lines[at["line"]]), f"{at} is not in the file"
        first, last = starts[start["line"]] + start["character"], starts[end["line"]] + end["character"]
        text = text[:first] + edit["newText"] + text[last:]
    return text


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_quick_fix_below_a_last_line_without_a_newline_ends_that_line_first(client: Client, portfolio: Path,
                                                                               newline: str) -> None:
    """Found by an editor user: with `status: done` (or an initiative's `id:`) on the last
    line of a file without a final newline, "Add completed" and the allow inserted their
    lines at the line after it — past the end of the file, where editors glued them to the
    last line (`status: done    completed: …`, a syntax error). And in a CRLF file, the
    lines added ended with a bare LF."""
    digital = portfolio / "units" / "digital.yaml"
    uri = client.open(digital)
    original = digital.read_text(encoding="utf-8")
    cases = [("  - id: DIG-099\n    title: Something finished\n    addresses: [PP-black-hole]\n    effort: 1\n"
              "    size: quick_win\n    status: done", "CXP105", "'DIG-099' is done but has no completed date",
              "Add completed: 2026-06-30"),
             ("  - title: Reordered keys, id last\n    status: idea\n    id: DIG-098", "CXP401",
              "DIG-098 addresses no pain point", "Accept CXP401 on DIG-098")]
    for added, code, message, title in cases:
        text = (original.rstrip("\n") + "\n" + added).replace("\n", newline)
        client.change(uri, text)
        found = next(d for d in client.wait_for(uri, lambda d: any(message in x["message"] for x in d))
                     if message in d["message"])
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": found["range"], "context": {"diagnostics": [found]}})
        (edit,) = next(a for a in actions if a["title"].startswith(title))["edit"]["changes"][uri]
        last = len(text.split(newline)) - 1
        assert edit["range"]["start"] == {"line": last, "character": len(text.split(newline)[-1])}
        fixed = _applied(text, [edit])
        assert set(re.findall(r"\r\n|\r|\n", fixed)) == {newline}  # the file's line end, only
        client.change(uri, fixed.replace('reason: ""', 'reason: "a platform chore"'))
        # It parses, and the finding is gone.
        after = client.wait_for(uri, lambda d: not any(message in x["message"] for x in d))
        assert "CXP001" not in codes(after)
    client.change(uri, original)
    client.wait_for(uri, lambda d: not any("DIG-098" in x["message"] for x in d))


def _refusal(client: Client, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """The error a request is answered with."""
    client.next_id += 1
    answers = client.responses.setdefault(client.next_id, queue.Queue())
    client.send({"id": client.next_id, "method": method, "params": params})
    answer = answers.get(timeout=WAIT)
    assert "error" in answer, answer
    return answer["error"]  # type: ignore[no-any-return]


def test_a_rename_is_refused_while_a_file_of_the_portfolio_cannot_be_read(client: Client, portfolio: Path) -> None:
    """Found by an editor user: with retail.yaml open and half typed (YAML that does not
    parse yet), renaming PP-black-hole edited every other file and none of the two
    references in retail.yaml: once it parsed, they were unknown ids. Likewise for a file
    on disk that cannot be read. The rename is refused, naming the file."""
    pains, retail = portfolio / "pain_points.yaml", portfolio / "units" / "retail.yaml"
    original = retail.read_text(encoding="utf-8")
    uri = client.open(retail)
    client.change(uri, "# moved\n" + original + '  - {id: RET-099, title: "unfinished\n')
    client.wait_for(uri, lambda d: codes(d) == ["CXP001"])
    rename = {**_at(pains, "id: PP-black-hole", offset=5), "newName": "PP-silence"}
    error = _refusal(client, "textDocument/rename", rename)
    assert error["code"] == -32803 and error["message"] == (
        "units/retail.yaml cannot be read (see its CXP001): the references to 'PP-black-hole' written there "
        "cannot be found; correct it, then rename")
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP001" not in codes(d))
    broken = portfolio / "units" / "broken.yaml"  # and a file on disk, one that no editor has open
    broken.write_text("initiatives: [\n", encoding="utf-8")
    try:
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": broken.as_uri(), "type": 1}]})
        assert _refusal(client, "textDocument/rename", rename)["message"].startswith(
            "units/broken.yaml cannot be read (see its CXP001)")
    finally:
        broken.unlink()
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": broken.as_uri(), "type": 3}]})
    edit = client.request("textDocument/rename", rename)
    assert len(edit["changes"][uri]) == 2  # both references in retail.yaml, once it is read


@pytest.mark.parametrize(("new_name", "read_as"), [("true", "a boolean"), ("FALSE", "a boolean"),
                                                    ("Null", "null (no value)")])
def test_a_rename_to_a_word_yaml_reads_as_no_text_is_refused(client: Client, portfolio: Path, new_name: str,
                                                             read_as: str) -> None:
    """Found by an editor user: renaming IT-003 to `true`, `null` or `False` was accepted,
    and the files then held `id: true` — a boolean, no id (CXP002), and every reference
    to it the same. The rename is refused, saying what YAML reads the name as."""
    digital = portfolio / "units" / "digital.yaml"
    error = _refusal(client, "textDocument/rename", {**_at(digital, "PP-black-hole"), "newName": new_name})
    assert error["code"] == -32803 and error["message"] == (
        f"'{new_name}' is not an id as YAML reads it: written unquoted, it is {read_as}; choose another name")


def test_a_rename_to_yes_or_no_is_accepted_as_the_format_reads_them_as_text(client: Client, portfolio: Path) -> None:
    # YAML 1.2's core schema (docs/format.md): `no` is text, so an id (the Norway problem
    # does not arise), unlike `false`.
    digital = portfolio / "units" / "digital.yaml"
    edit = client.request("textDocument/rename", {**_at(digital, "PP-black-hole"), "newName": "no"})
    assert len([e for changes in edit["changes"].values() for e in changes]) == 8


def test_a_kpis_unit_of_measure_is_offered_no_department(client: Client, portfolio: Path) -> None:
    """Found by an editor user: at a KPI's `unit:` (its unit of measure, free text such as
    `percent`), completion offered the departments' unit ids. Nothing is offered there;
    an initiative's `unit:` and a KPI's `owner:` still offer them."""
    kpis, digital = portfolio / "kpis.yaml", portfolio / "units" / "digital.yaml"
    uri = client.open(kpis)
    original = kpis.read_text(encoding="utf-8")
    client.change(uri, original.replace("    unit: percent\n", "    unit: per\n", 1))
    where = _at(kpis, "unit: percent", offset=len("unit: per"))
    assert client.request("textDocument/completion", where) == []
    client.change(uri, original)
    units = {"advisory", "cards", "customer-service", "digital", "hr", "it-platform", "retail"}
    owner = client.request("textDocument/completion", _at(kpis, "owner: retail", offset=len("owner: ")))
    assert {i["label"] for i in owner} == units
    initiatives = digital.read_text(encoding="utf-8")
    other = client.open(digital)
    client.change(other, initiatives.replace("  - id: DIG-007\n", "  - id: DIG-007\n    unit: \n", 1))
    line = initiatives.split("\n").index("  - id: DIG-007") + 1
    items = client.request("textDocument/completion", {"textDocument": {"uri": other},
                                                       "position": {"line": line, "character": len("    unit: ")}})
    assert {i["label"] for i in items} == units
    client.change(other, initiatives)


@pytest.mark.parametrize(("code", "where", "parties"), [
    ("CXP301", "advisory.yaml", ["ADV-002", "CS-001", "CS-008", "IT-001"]),  # not the KPI, aht
    ("CXP302", "advisory.yaml", ["advisory", "customer-service"]),  # the units, not aht
    ("CXP104", "digital.yaml", ["DIG-007", "IT-003"]),  # every member of the cycle
])
def test_accepting_a_finding_writes_the_allow_on_every_party_to_it(client: Client, portfolio: Path, code: str,
                                                                   where: str, parties: list[str]) -> None:
    """Found by an editor user: "Accept … with an allow" wrote the allow on the finding's
    first entity only. For CXP301 and CXP302 that is the KPI the initiatives or units
    disagree on, no party to the finding; for a cycle (CXP104), one member of two. The
    finding stayed once a reason was written. The action writes the allow on every party
    (docs/format.md), each in its own file."""
    it = portfolio / "units" / "it-platform.yaml"
    originals = {p.as_uri(): p.read_text(encoding="utf-8") for p in portfolio.rglob("*.yaml")}
    texts = dict(originals)

    def edited(target: str, text: str) -> None:
        client.open(Path(urllib.parse.unquote(urllib.parse.urlparse(target).path)))
        client.change(target, text)
        texts[target] = text

    if code == "CXP104":  # IT-003 made to depend on DIG-007, which depends on it
        edited(it.as_uri(), texts[it.as_uri()].replace("  - id: IT-003\n",
                                                       "  - id: IT-003\n    depends_on: [DIG-007]\n"))
    uri = next(u for u in originals if u.endswith("/" + where))
    client.open(Path(urllib.parse.unquote(urllib.parse.urlparse(uri).path)))

    def ours(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [d for d in found if d["code"] == code and set(parties) <= set(d["data"]["entities"])]

    finding = ours(client.wait_for(uri, lambda d: bool(ours(d))))[0]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": finding["range"], "context": {"diagnostics": [finding]}})
    title = f"Accept {code} on all {len(parties)} ({', '.join(parties)}) with an allow: each (give the reasons)"
    accept = next(a for a in actions if a["title"] == title)
    assert sum(len(e) for e in accept["edit"]["changes"].values()) == len(parties)
    assert not [a for a in actions if a["title"].startswith(f"Accept {code} on {finding['data']['entities'][0]} ")]
    for target, edits in accept["edit"]["changes"].items():
        edited(target, _applied(texts[target], edits).replace('reason: ""', 'reason: "agreed on purpose"'))
    # Every party agreed: the finding is accepted, and nothing is said of the allows written.
    client.wait_for(uri, lambda d: not ours(d))
    assert not [d for target in accept["edit"]["changes"] for d in client.diagnostics[target] if d["code"] == "CXP002"]
    for target, text in originals.items():
        if texts[target] != text:
            client.change(target, text)
    if code != "CXP104":
        client.wait_for(uri, lambda d: bool(ours(d)))


def test_a_stage_in_a_one_line_pain_point_is_one_of_its_own_journeys(client: Client, portfolio: Path) -> None:
    """Found by an editor user: in `- {id: PP-new, journey: mortgage, stage: |}`, stage
    completion offered the stages of the journey of the pain point written above (the
    card-problem one's), read from a nearby line, not the mortgage of its own {…}."""
    pains = portfolio / "pain_points.yaml"
    uri = client.open(pains)
    original = pains.read_text(encoding="utf-8")
    line = "  - {id: PP-new, journey: mortgage, stage: , title: New, severity: 3}"
    client.change(uri, original + line + "\n")
    where = {"line": original.count("\n"), "character": line.index("stage: ") + len("stage: ")}
    stages = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": where})
    assert [i["label"] for i in stages] == ["explore", "apply", "decision", "sign", "payout"]
    client.change(uri, original)


def test_a_message_that_is_not_json_is_one_log_line_and_a_closed_stdin_ends_cleanly(tmp_path: Path) -> None:
    """Found by a tester: bad JSON on stdin printed pygls' traceback to the editor's log,
    and a closed stdin an "internal error" (exit 2)."""
    sent = b"Content-Length: 5\r\n\r\n{bad}" + b"Content-Length: 3\r\n\r\n[1]"
    done = subprocess.run([sys.executable, "-m", "cxportfolio", "lsp"], input=sent, capture_output=True,
                          cwd=tmp_path, timeout=60)
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    assert len(lines) == 2 and all(line.startswith("cxportfolio lsp: Unable to handle message: ") for line in lines)
    assert "JSONDecodeError" in lines[0]
    done = subprocess.run([sys.executable, "-m", "cxportfolio", "lsp"], stdin=None, capture_output=True, cwd=tmp_path,
                          timeout=60, preexec_fn=lambda: __import__("os").close(0))
    assert (done.returncode, done.stderr) == (0, b"")


def test_a_message_the_server_cannot_read_shows_no_popup(tmp_path: Path) -> None:
    """Found in review: pygls showed the editor a popup ("Error in server: …",
    window/showMessage) for each message it could not read: not JSON, a body cut short,
    no JSON-RPC object, params its method does not take. Each is one line in the log (and
    a request with its error answer, where it has an id); no popup."""
    client = Client(tmp_path)
    bad = [b"{bad}", b'{"jsonrpc": "2.0", "id": 7, "method": "\xe5', b"[1]",
           b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"x": 1}}',
           b'{"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover", "params": {"textDocument": {"uri": "x"}}}']
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        answer = client.responses.setdefault(8, queue.Queue())
        for body in bad:
            client.send_body(body)
        assert answer.get(timeout=WAIT)["error"]["code"] == -32602  # InvalidParams, naming the field
        assert client.request("shutdown", {}) is None  # every message before it was read
    finally:
        client.notify("exit", {})
        client.process.wait(timeout=WAIT)
    assert client.told("window/showMessage") == [] and client.told("window/logMessage") == []
    assert len(client.stderr) == len(bad) and not any("Traceback" in line for line in client.stderr), client.stderr


def test_a_message_without_a_content_length_header_is_one_log_line(tmp_path: Path) -> None:
    """Found by a helper: a header pygls cannot read a length from (`content-length: 2`,
    `Content-Length: abc`) made it skip the message and what followed it up to the next
    header without a word: the editor's request waited, and the log said nothing. One line
    says so, and the next message is served."""
    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        assert client.process.stdin is not None
        client.process.stdin.write(b"content-length: 2\r\n\r\n{}\r\nContent-Length: abc\r\n\r\n{}\r\n")
        client.process.stdin.flush()
        assert client.request("textDocument/hover", {"textDocument": {"uri": (tmp_path / "x.yaml").as_uri()},
                                                     "position": {"line": 0, "character": 0}}) is None
    finally:
        client.close()
    assert client.told("window/showMessage") == []
    assert client.stderr == ["cxportfolio lsp: a message without a `Content-Length: N` header is skipped, with "
                             "what follows it up to the next header\n"] * 2, client.stderr


def test_the_message_after_one_without_a_content_length_is_served_though_glued_to_its_body(tmp_path: Path) -> None:
    """Found by a helper: a body is framed by its length, with no line end after it, so the
    skipped body of a message whose length could not be read (`Content-Length: abc`) ran
    into the next header on one line, and that message was lost too, and so on: the
    editor's next requests waited. The server reads on from the next header."""
    client = Client(tmp_path)
    hover = {"textDocument": {"uri": (tmp_path / "x.yaml").as_uri()}, "position": {"line": 0, "character": 0}}
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        answers = {ident: client.responses.setdefault(ident, queue.Queue()) for ident in (50, 51)}
        for ident, header in ((50, b"Content-Length: abc\r\n"), (51, b"content-length: 2\r\n")):
            assert client.process.stdin is not None
            client.process.stdin.write(header + b"\r\n{}")  # the next message's header follows the body at once
            client.send({"id": ident, "method": "textDocument/hover", "params": hover})
        for ident in (50, 51):
            assert answers[ident].get(timeout=WAIT)["result"] is None
    finally:
        client.close()
    assert client.stderr == ["cxportfolio lsp: a message without a `Content-Length: N` header is skipped, with "
                             "what follows it up to the next header\n"] * 2, client.stderr


def test_a_request_that_is_no_json_rpc_request_is_answered_with_its_error(tmp_path: Path) -> None:
    """Found in review: a request without `"jsonrpc": "2.0"` (or with "1.0"), or whose
    method is no text, was left unanswered (the editor waited), and so was a request of a
    method the server does not know that left out its params, which JSON-RPC allows
    (pygls took it for an Internal Error). InvalidRequest, MethodNotFound; one log line each."""
    client = Client(tmp_path)
    sent = {8: b'{"id": 8, "method": "textDocument/hover", "params": {}}',
            9: b'{"jsonrpc": "1.0", "id": 9, "method": "shutdown"}',
            10: b'{"jsonrpc": "2.0", "id": 10, "method": 5}',
            11: b'{"jsonrpc": "2.0", "id": 11, "method": "x/unknown"}'}
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        answers = {ident: client.responses.setdefault(ident, queue.Queue()) for ident in sent}
        for body in sent.values():
            client.send_body(body)
        client.send_body(b'{"jsonrpc": "2.0", "method": "x/unknown"}')  # a notification: nothing to answer
        codes = {ident: answer.get(timeout=WAIT)["error"]["code"] for ident, answer in answers.items()}
        assert codes == {8: -32600, 9: -32600, 10: -32600, 11: -32601}
        assert client.request("textDocument/hover", {"textDocument": {"uri": (tmp_path / "x.yaml").as_uri()},
                                                     "position": {"line": 0, "character": 0}}) is None  # not shut down
    finally:
        client.close()
    assert client.told("window/showMessage") == []
    assert len(client.stderr) == len(sent) + 1 and not any("Traceback" in line for line in client.stderr), client.stderr


def test_a_request_without_jsonrpc_2_0_is_answered_whatever_number_its_id_is(tmp_path: Path) -> None:
    """Found in review: a request sent without `"jsonrpc": "2.0"` was answered InvalidRequest
    when its id was an integer or a text, but left unanswered (the editor waiting) when
    it was a number with a fraction (`"id": 9.5`), which JSON-RPC takes as an id, as the
    server does for a 2.0 request (`_is_rpc_id`). A bool is still no id: one log line."""
    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        answers = {ident: client.responses.setdefault(ident, queue.Queue()) for ident in (9.5, 10.25)}
        client.send_body(b'{"jsonrpc": "1.0", "id": 9.5, "method": "shutdown"}')
        client.send_body(b'{"jsonrpc": "1.0", "id": true, "method": "shutdown"}')
        client.send_body(b'{"jsonrpc": "2.0", "id": 10.25, "method": "textDocument/hover", "params": {'
                         b'"textDocument": {"uri": "' + (tmp_path / "x.yaml").as_uri().encode() + b'"}, '
                         b'"position": {"line": 0, "character": 0}}}')
        assert answers[9.5].get(timeout=WAIT)["error"] == {
            "code": -32600, "message": 'not a JSON-RPC 2.0 message (`"jsonrpc": "2.0"`)'}
        assert answers[10.25].get(timeout=WAIT) == {"jsonrpc": "2.0", "id": 10.25, "result": None}  # served
    finally:
        client.close()
    assert client.stderr == ["cxportfolio lsp: Unable to handle message: JsonRpcInvalidRequest: "
                             'not a JSON-RPC 2.0 message (`"jsonrpc": "2.0"`)\n'] * 2, client.stderr


def test_a_method_that_is_no_text_is_refused_with_its_params_too(tmp_path: Path) -> None:
    """Found in review: `"method": 5` was refused InvalidRequest only without params; with
    them, pygls took the message and failed to name the method: the request was answered
    Internal Error with pygls' traceback in its data, the notification logged with one."""
    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        answer = client.responses.setdefault(12, queue.Queue())
        client.send_body(b'{"jsonrpc": "2.0", "method": 5, "params": {}}')
        client.send_body(b'{"jsonrpc": "2.0", "id": 12, "method": 5, "params": {}}')
        assert answer.get(timeout=WAIT)["error"] == {"code": -32600,
                                                     "message": "not a JSON-RPC request, notification or response"}
        assert client.request("textDocument/hover", {"textDocument": {"uri": (tmp_path / "x.yaml").as_uri()},
                                                     "position": {"line": 0, "character": 0}}) is None
    finally:
        client.close()
    assert client.told("window/showMessage") == [] and client.told("window/logMessage") == []
    assert len(client.stderr) == 2 and not any("Traceback" in line for line in client.stderr), client.stderr


def test_a_request_whose_id_is_no_number_or_text_is_one_log_line_and_not_served(tmp_path: Path) -> None:
    """Found by a helper: a request with `"id": true` was served (`shutdown` so sent shut
    the server down, and the editor's own shutdown was refused), and one with `"id": {"a":
    1}` failed as the server's own bug would (InternalError with pygls' traceback, "a
    handler failed" in the editor's log). JSON-RPC's id is a number or a text: each is one
    log line, unanswered, and the server goes on."""
    client = Client(tmp_path)
    sent = [b'{"jsonrpc": "2.0", "id": true, "method": "shutdown"}',
            b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}',
            b'{"jsonrpc": "2.0", "id": [1], "method": "x/unknown"}']
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        for body in sent:
            client.send_body(body)
        assert client.request("textDocument/hover", {"textDocument": {"uri": (tmp_path / "x.yaml").as_uri()},
                                                     "position": {"line": 0, "character": 0}}) is None  # not shut down
    finally:
        client.close()
    assert client.told("window/showMessage") == [] and client.told("window/logMessage") == []
    assert client.stderr == ["cxportfolio lsp: Unable to handle message: JsonRpcInvalidRequest: "
                             "not a JSON-RPC request: its id is no number or text\n"] * len(sent), client.stderr


def test_a_request_that_lost_its_method_is_answered_invalid_request(tmp_path: Path) -> None:
    """Found by a helper: `{"jsonrpc": "2.0", "id": 9}`, a request without its method, was
    one log line and never answered: the editor waited on id 9. JSON-RPC 2.0 answers an
    invalid request with an id InvalidRequest (-32600). The id of a request of the
    server's own (client/registerCapability) with neither result nor error is a broken
    answer to it, not a request: not answered (pygls takes it for a null result)."""
    client = _watching(tmp_path)
    try:
        deadline = time.monotonic() + WAIT
        while not (asked := [n for n in client.notices if n.get("method") == "client/registerCapability"]):
            assert time.monotonic() < deadline, client.notices
            time.sleep(0.02)
        answers = {ident: client.responses.setdefault(ident, queue.Queue()) for ident in (9, "x", asked[0]["id"])}
        client.send_body(b'{"jsonrpc": "2.0", "id": 9}')
        client.send_body(b'{"jsonrpc": "2.0", "id": "x", "params": {}}')
        client.send({"id": asked[0]["id"]})
        for ident in (9, "x"):
            assert answers[ident].get(timeout=WAIT)["error"] == {
                "code": -32600, "message": "not a JSON-RPC request: it has an id but no method"}
        assert client.request("textDocument/hover", {"textDocument": {"uri": (tmp_path / "x.yaml").as_uri()},
                                                     "position": {"line": 0, "character": 0}}) is None
    finally:
        client.close()
    assert answers[asked[0]["id"]].empty()
    assert client.told("window/showMessage") == [] and client.told("window/logMessage") == []
    assert client.stderr == ["cxportfolio lsp: Unable to handle message: JsonRpcInvalidRequest: "
                             "not a JSON-RPC request: it has an id but no method\n"] * 2, client.stderr


def test_a_failing_handler_is_logged_and_answered_not_shown_in_a_popup(tmp_path: Path) -> None:
    """What fails in the server's own handlers is no longer a popup either (pygls showed
    one for a notification's): it is logged, on stderr and in the editor's log for the
    server (window/logMessage), and a request is answered with InternalError."""
    crash = ("import sys\nfrom cxportfolio.lsp import server\n"
             "def bug(*args, **kwargs):\n    raise RuntimeError('a bug')\n"
             "server.PortfolioServer.buffer = server.PortfolioServer.snapshot_of = bug\nsys.exit(server.serve())\n")
    client = Client(tmp_path, [sys.executable, "-c", crash])
    uri = (tmp_path / "units.yaml").as_uri()
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                                "text": "units: []\n"}})
        answer = client.responses.setdefault(100, queue.Queue())
        client.send({"id": 100, "method": "textDocument/hover",
                     "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}})
        error = answer.get(timeout=WAIT)["error"]
        assert (error["code"], error["message"]) == (-32603, "RuntimeError: a bug")
    finally:
        client.close()
    assert client.told("window/showMessage") == []
    assert client.told("window/logMessage") == ["cxportfolio lsp: a handler failed: RuntimeError: a bug"] * 2
    assert [line for line in client.stderr if "a bug" in line] == [
        "cxportfolio lsp: a handler failed: RuntimeError: a bug\n",
        'cxportfolio lsp: Exception occurred for message "100": RuntimeError: a bug\n']


def test_a_message_holding_a_byte_that_is_not_utf8_is_read_with_it_and_answered(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found by an editor user: a message whose body held a byte that is not UTF-8 (an
    editor sending a Latin-1 file's text as its bytes) was dropped whole: the file was never
    opened, so it showed nothing, and a request so written was never answered. The byte is
    read as a lone surrogate in a document is (U+DCE5 for 0xe5, named as that byte); a body
    that is no JSON is one log line, and the next message is served."""
    root = copy_of_example(tmp_path_factory, "bytes")
    path = root / "units" / "latin1.yaml"
    raw = "unit: digital\ninitiatives:\n  - id: L-1\n    title: Bl\xe5b\xe6r\n    addresses: [PP-jargon]\n" \
          "    status: idea\n"
    path.write_bytes(raw.encode("latin-1"))
    uri = path.as_uri()
    client = Client(root)
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        opened = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": "@TEXT@"}}}).encode("ascii")
        client.send_body(opened.replace(b"@TEXT@", json.dumps(raw, ensure_ascii=False)[1:-1].encode("latin-1")))
        found = client.wait_for(uri, lambda d: "CXP001" in codes(d))
        [shown] = [d for d in found if d["code"] == "CXP001"]
        assert shown["message"].startswith("byte 0xe5 is not valid UTF-8")
        assert shown["range"]["start"] == {"line": 3, "character": 13}  # where check puts it: 4:14
        answers = client.responses.setdefault(1000, queue.Queue())
        client.send_body(b'{"jsonrpc": "2.0", "id": 1000, "method": "textDocument/hover", "params": {"textDocument": '
                         b'{"uri": "' + (root / "units").as_uri().encode() + b'/\xe5.yaml"}, '
                         b'"position": {"line": 0, "character": 0}}}')
        assert answers.get(timeout=WAIT)["result"] is None
        client.send_body(b'{"jsonrpc": "2.0", "id": 1001, "method": "\xe5')  # cut short
        assert client.request("textDocument/definition", _at(root / "units" / "digital.yaml", "PP-black-hole", 3))
    finally:
        client.close()
    assert [line.split(": ")[:3] for line in client.stderr] == [
        ["cxportfolio lsp", "Unable to handle message", "JSONDecodeError"]]


def test_the_server_takes_the_stdio_option_editors_add(tmp_path: Path) -> None:
    """A VS Code extension built on vscode-languageclient (transport: stdio) starts the
    server with `--stdio` added: it was "no such option '--stdio'", exit 2, and the editor
    said the server crashed."""
    client = Client(tmp_path, [sys.executable, "-m", "cxportfolio", "lsp", "--stdio"])
    answer = client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    assert answer["serverInfo"]["name"] == "cxportfolio"
    client.close()
    assert (client.process.returncode, client.stderr) == (0, [])


@pytest.mark.parametrize(("lines", "at", "token"), [
    (['  - {title: "]]", addresses: [PP-x]}'], (0, 30), "PP-x"),  # a ']' inside quotes closes nothing
    (["addresses: [PP-a,", "  PP-x]"], (1, 2), "PP-x"),  # the list was opened on the line above
    (['t: "[["', "x: a,b"], (1, 3), "a,b"),  # nor does a '[' inside quotes open one
    (["title: a]b, c"], (0, 7), "a]b, c"),  # outside a flow list, ',]}' are text
    (["x: [a,", "  b]\udc80"], (1, 2), "b]\udc80"),  # a buffer libyaml cannot read: the line alone, no crash
])
def test_a_plain_token_ends_where_the_parser_ends_the_scalar(lines: list[str], at: tuple[int, int],
                                                             token: str) -> None:
    """Found by a positions hunter: whether `,]}` end a plain value was guessed from the
    brackets on its line; libyaml's own end of the scalar decides now."""
    from cxportfolio.lsp.text import token_at

    span = token_at(lines, *at)
    assert lines[span.line][span.start:span.end] == token


def test_the_scalar_ends_kept_are_bounded_whatever_a_file_holds() -> None:
    """Found in review: every scalar's end was kept, for the last four lists of lines — a
    one-line file of `[a,a,…]` held hundreds of megabytes, and an index walking more than
    four files read each again and again. Only the lines a flow indicator is on are read,
    a file past the cap is read off its lines, and the ends kept are budgeted."""
    from cxportfolio.lsp import text

    huge = ["[" + ",".join(["a"] * 400_000) + "]"]  # 800 KB on one line
    assert text.token_at(huge, 0, 1) == text.Span(0, 1, 2)
    assert id(huge) not in text._ends
    files = [[f"x: [a{n}, b]", "y: plain"] for n in range(2 * text._ENDS_FILES)]
    for n, lines in enumerate(files):
        span = text.token_at(lines, 0, 4)
        assert lines[0][span.start:span.end] == f"a{n}"
    assert len(text._ends) <= text._ENDS_FILES
    assert all(len(ends) == 3 for _, ends in text._ends.values())  # x, a…, b: not `y: plain`'s two


@pytest.mark.parametrize("line, token", [
    ("    addresses: ['PP''x', b]", "'PP''x'"),  # a doubled quote is one quote in single quotes
    ('    addresses: ["PP\\"x", b]', '"PP\\"x"'),  # and a backslash escapes one in double quotes
    ('    addresses: ["PP\\\\", b]', '"PP\\\\"'),  # an escaped backslash does not escape the quote
    ("    title: 'open", "'open"),  # not closed on its line: to the line's end
])
def test_a_quoted_token_ends_at_its_closing_quote_not_at_an_escaped_one(line: str, token: str) -> None:
    """Found by a positions hunter: the range ended at the first quote character after the
    opening one, so an escaped quote inside cut the diagnostic's range (and what a quick fix
    replaces) short."""
    from cxportfolio.lsp.text import token_at

    start = line.index("[") + 1 if "[" in line else line.index(":") + 2
    span = token_at([line], 0, start)
    assert line[span.start:span.end] == token


def test_a_file_whose_name_is_not_utf8_is_shown_its_finding(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found by a formats hunter: the finding about such a file is published under the
    file's own URI (its bytes percent-encoded, `%FF`), and the other files' findings too."""
    root = copy_of_example(tmp_path_factory, "not-utf8-name")
    path = Path(os.fsdecode(bytes(root / "units") + b"/\xff.yaml"))
    path.write_bytes(b"unit: digital\n")
    client = Client(root)
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        client.open(root / "units" / "digital.yaml")
        assert path.as_uri().endswith("/units/%FF.yaml")
        [shown] = client.wait_for(path.as_uri(), lambda d: "CXP001" in codes(d))
        assert shown["message"].startswith("the file name is not valid UTF-8")
        client.wait_for((root / "pain_points.yaml").as_uri(), lambda d: "CXP202" in codes(d))
    finally:
        client.close()


def test_hover_writes_ids_in_code_spans_as_they_are_written(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found by a formats hunter: ids went through the Markdown escapes inside code spans,
    where no escape applies: `DIG\\_1` was shown, and `cxportfolio rank --explain DIG\\_1`
    copied from the hover named no initiative."""
    root = copy_of_example(tmp_path_factory, "underscore")
    digital = root / "units" / "digital.yaml"
    digital.write_text(digital.read_text(encoding="utf-8").replace("DIG-007", "DIG_007"), encoding="utf-8")
    client = Client(root)
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        shown = client.request("textDocument/hover", _at(digital, "DIG_007"))["contents"]["value"]
        assert "**initiative** `DIG_007`: " in shown and "`cxportfolio rank --explain DIG_007` shows" in shown
        assert "\\_" not in shown
    finally:
        client.close()


def _lower_hex(uri: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), uri)


@pytest.mark.parametrize("spelling", [
    lambda uri: _lower_hex(uri).replace("~", "%7E"),  # %c3%a6 and %7E, as some clients write them
    lambda uri: "file:" + uri[len("file://"):],  # file:/path
    lambda uri: "file://localhost" + uri[len("file://"):],
    lambda uri: urllib.parse.unquote(uri).replace(" ", "%20"),  # letters as they are
])
def test_a_file_is_answered_under_the_uri_the_client_spelt(spelling: Callable[[str], str],
                                                           tmp_path: Path) -> None:
    """Found by an editor user, with a portfolio in "Ærø kommune~(test)": a client that
    spells a URI otherwise than pygls (lower-case %xx, %7E, file:/, file://localhost/,
    letters unencoded) was published its file's diagnostics under pygls' spelling, which
    it compares as text: another document to it, the open file never marked; and the
    published version was none even for the spelling pygls writes (`file://localhost/`
    was no file at all)."""
    root = tmp_path / "Ærø kommune~(test)" / "nordbank"
    shutil.copytree(Path(__file__).resolve().parents[1] / "portfolios" / "nordbank", root)
    pains, digital = root / "pain_points.yaml", root / "units" / "digital.yaml"
    client = Client(root)
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        opened = {}
        for path in (pains, digital):
            opened[path] = uri = spelling(path.as_uri())
            assert uri != path.as_uri()
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text(encoding="utf-8")}})
            client.wait_for(uri, lambda d: "CXP202" in codes(d) or "CXP201" in codes(d))
            assert client.published_versions[uri] == 1  # the check saw the text the editor has
        # none left under another spelling (digital.yaml's, published before it was opened, withdrawn)
        assert client.diagnostics.get(pains.as_uri(), []) == client.diagnostics.get(digital.as_uri(), []) == []
        # a file not open is named as Path.as_uri names it
        assert (root / "kpis.yaml").as_uri() in client.diagnostics
        found = client.request("textDocument/definition", {"textDocument": {"uri": opened[digital]},
                                                           "position": position_of(digital, "PP-black-hole")})
        assert [place["uri"] for place in found] == [opened[pains]]
    finally:
        client.close()


def test_a_file_whose_name_is_not_utf8_is_matched_to_its_uri(tmp_path: Path) -> None:
    """A name that is not UTF-8 (b'r\\xe5d.yaml', Latin-1) is %E5 in its URI: pygls read
    it as U+FFFD, a file no one has, so the opened file was no file of the portfolio."""
    root = tmp_path / "nordbank"
    shutil.copytree(Path(__file__).resolve().parents[1] / "portfolios" / "nordbank", root)
    path = Path(os.fsdecode(bytes(root / "units") + b"/r\xe5d.yaml"))
    path.write_text("unit: digital\ninitiatives:\n  - id: R-1\n    title: Read\n    status: idea\n"
                    "    addresses: [PP-nope]\n", encoding="utf-8")
    uri = path.as_uri()
    assert "/r%E5d.yaml" in uri
    client = Client(root)
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        text = path.read_text(encoding="utf-8").replace("PP-nope", "PP-jargon")  # as typed, not as saved
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                                "text": text}})
        found = client.wait_for(uri, lambda d: client.published_versions.get(uri) == 1)
        assert not [d for d in found if "PP-nope" in d["message"]]
    finally:
        client.close()


def test_exit_without_shutdown_ends_with_1_and_requests_out_of_turn_are_refused(tmp_path: Path) -> None:
    """The protocol's lifecycle: `exit` ended with 0 whether or not `shutdown` came first
    (pygls' own exit code was swallowed), so a client could not tell a clean stop from an
    abandoned one; a request after `shutdown` got no answer at all (the editor waited),
    and one before `initialize` an internal error with a Python traceback."""
    hover = {"textDocument": {"uri": (tmp_path / "a.yaml").as_uri()}, "position": {"line": 0, "character": 0}}
    client = Client(tmp_path)
    assert _refusal(client, "textDocument/hover", hover) == {
        "code": -32002, "message": "the server is not initialized: send `initialize` first"}
    client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    client.request("shutdown", None)
    assert _refusal(client, "textDocument/hover", hover) == {
        "code": -32600, "message": "the server was shut down: only `exit` is taken"}
    client.notify("exit", {})
    assert (client.process.wait(timeout=WAIT), client.stderr) == (0, [])

    client = Client(tmp_path)
    client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    client.notify("exit", {})
    assert (client.process.wait(timeout=WAIT), client.stderr) == (1, [])


def test_a_request_whose_params_are_wrong_is_answered_with_why_in_one_log_line(tmp_path: Path) -> None:
    """A request whose params its method does not take (a field missing, a negative line)
    was never answered, so the editor waited for it, and the log got pygls' traceback
    written out on one line, then a second line saying only "Invalid Params"."""
    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        uri = (tmp_path / "a.yaml").as_uri()
        assert _refusal(client, "textDocument/hover", {"textDocument": {"uri": uri}}) == {
            "code": -32602, "message": "invalid params for textDocument/hover: required field missing @ $.params.position"}
        assert _refusal(client, "textDocument/hover", {"textDocument": {"uri": uri},
                                                       "position": {"line": -1, "character": 0}})["code"] == -32602
        client.send({"id": 99})  # neither request nor response: answered InvalidRequest
        assert client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": 0, "character": 0}}) is None
    finally:
        client.close()
    assert client.process.returncode == 0
    assert [line.split(": ", 2)[1:] for line in client.stderr] == [
        ["Unable to handle message", "JsonRpcInvalidParams: invalid params for textDocument/hover: "
                                     "required field missing @ $.params.position\n"],
        ["Unable to handle message", "JsonRpcInvalidParams: invalid params for textDocument/hover: "
                                     "invalid value @ $.params.position\n"],
        ["Unable to handle message", "JsonRpcInvalidRequest: not a JSON-RPC request: it has an id but no method\n"]]


def test_completion_in_a_document_that_is_no_file_offers_nothing(tmp_path: Path) -> None:
    """Completion in a new, unsaved document (`untitled:Untitled-1`, as VS Code names it)
    failed with an internal error: the server read the file Untitled-1 from its working
    folder before asking whether the document belongs to a portfolio."""
    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        for uri in ("untitled:Untitled-1", "untitled:Untitled-2"):
            if uri.endswith("2"):
                client.notify("textDocument/didOpen", {"textDocument": {
                    "uri": uri, "languageId": "yaml", "version": 1, "text": "status: "}})
            assert client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                              "position": {"line": 0, "character": 8}}) == []
    finally:
        client.close()
    assert client.stderr == []


@pytest.mark.parametrize(("encoding", "mark"), [("utf-16", 1), ("utf-8", 3)])
def test_a_byte_order_mark_in_the_document_is_counted_on_its_first_line(
        tmp_path_factory: pytest.TempPathFactory, encoding: str, mark: int) -> None:
    """A client that keeps a file's byte-order mark in the document (Zed does) counts it
    in the first line's columns; the reader drops it, so every range on that line was one
    character early: `unit: digitl` was underlined from the space before the value, and
    the quick fix replaced the space too, writing `unit:digital`, which no longer parses."""
    root = copy_of_example(tmp_path_factory, "bom")
    path = root / "units" / "digital.yaml"
    text = "\ufeff" + path.read_text(encoding="utf-8").split("\n", 1)[1].replace("unit: digital", "unit: digitl", 1)
    client = Client(root)
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(),
                                      "capabilities": {"general": {"positionEncodings": [encoding]}}})
        client.notify("initialized", {})
        uri = path.as_uri()
        client.versions[uri] = 1
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                                "text": text}})
        unknown = next(d for d in client.wait_for(uri, lambda d: "CXP102" in codes(d)) if d["code"] == "CXP102")
        assert unknown["range"] == {"start": {"line": 0, "character": mark + 6},
                                    "end": {"line": 0, "character": mark + 12}}
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]}})
        fix = next(a for a in actions if a["title"] == "Replace with 'digital'")
        assert fix["edit"]["changes"] == {uri: [{"range": unknown["range"], "newText": "digital"}]}
        # and a position the client sends on that line is read past the mark: the unit's definition
        client.edit(uri, ((0, mark + 6), (0, mark + 12), "digital"))
        defined = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                             "position": {"line": 0, "character": mark + 7}})
        assert [place["range"]["start"]["line"] for place in defined] == [3]
        client.wait_for(uri, lambda d: "CXP102" not in codes(d))
    finally:
        client.close()


def test_no_check_held_back_by_the_debounce_runs_after_shutdown(tmp_path_factory: pytest.TempPathFactory) -> None:
    """An edit just before `shutdown` was still checked 150 ms later, and its diagnostics
    published to a client that had asked the server to stop."""
    root = copy_of_example(tmp_path_factory, "shutdown")
    path = root / "units" / "digital.yaml"
    client = Client(root)
    client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    uri = client.open(path)
    client.wait_for(uri, lambda d: client.published_versions.get(uri) == 1)
    client.change(uri, path.read_text(encoding="utf-8").replace("[PP-black-hole]", "[PP-blackhole]", 1))
    client.request("shutdown", None)
    time.sleep(0.6)  # four times the debounce
    assert "PP-blackhole" not in str(client.diagnostics[uri])
    client.notify("exit", {})
    assert client.process.wait(timeout=WAIT) == 0


def test_a_config_changed_on_disk_of_a_portfolio_no_one_opened_is_not_checked(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """A checkout touching the cxportfolio.yaml of a portfolio none of whose files is open
    (a repository's test fixtures, another team's portfolio) started checking it and
    published all its findings, on every such portfolio: the editor's problem list filled
    with files no one had opened."""
    root = copy_of_example(tmp_path_factory, "opened")
    other = copy_of_example(tmp_path_factory, "not-opened", "welfare-agency")
    client = _watching(root)
    try:
        uri = client.open(root / "kpis.yaml")
        client.wait_for(uri, lambda d: client.published_versions.get(uri) == 1)
        config = other / "cxportfolio.yaml"
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
        # a check of the open file, held back by the debounce after any the notice scheduled
        client.change(uri, (root / "kpis.yaml").read_text(encoding="utf-8") + "extra: 1\n")
        client.wait_for(uri, lambda d: client.published_versions.get(uri) == 2)
        assert [target for target in client.diagnostics if target.startswith(other.as_uri())] == []
    finally:
        client.close()


def test_a_change_sent_after_the_close_leaves_the_file_on_disk_counting(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """A change the client sent for a document it had closed (a late one, in a race) made
    the server read the file from disk and keep that text as an open buffer for good:
    whatever was written to the file afterwards (a checkout, another tool) was never seen."""
    root = copy_of_example(tmp_path_factory, "late-change")
    client = _watching(root)
    try:
        path = root / "units" / "digital.yaml"
        uri = client.open(path)
        client.wait_for(uri, lambda d: client.published_versions.get(uri) == 1)
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        client.edit(uri, ((0, 0), (0, 0), ""))
        client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
        path.write_text(path.read_text(encoding="utf-8").replace("[PP-black-hole]", "[PP-on-disk]", 1),
                        encoding="utf-8")
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri, "type": 2}]})
        client.wait_for(uri, lambda d: any("PP-on-disk" in x["message"] for x in d))
    finally:
        client.close()


def _held_back(root: Path, debounce: float = 1.0) -> Client:
    """A server whose debounce holds a check back long enough for a test to type under it."""
    client = Client(root, [sys.executable, "-c", "import datetime as dt; "
                           "from cxportfolio.lsp.server import make_server; "
                           f"make_server(dt.date(2026, 6, 30), debounce={debounce}).start_io()"])
    client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    return client


@contextmanager
def _unknown_id_open(tmp_path_factory: pytest.TempPathFactory, name: str,
                     debounce: float = 1.0) -> Iterator[tuple[Client, Path, str, dict[str, Any]]]:
    """The example with `[PP-black-hole]` misspelt in units/digital.yaml, that file open in
    a client whose checks the debounce holds back: the client, the file, its URI and the
    CXP102 its first check published."""
    root = copy_of_example(tmp_path_factory, name)
    path = root / "units" / "digital.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[PP-black-hole]", "[PP-blackhole]", 1), encoding="utf-8")
    client = _held_back(root, debounce)
    try:
        uri = client.open(path)
        yield client, path, uri, next(d for d in client.wait_for(uri, lambda d: "CXP102" in codes(d))
                                      if d["code"] == "CXP102")
    finally:
        client.close()


def test_code_actions_asked_after_each_key_run_no_check_the_debounce_holds_back(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Editors (VS Code) ask for code actions after nearly every change, and answering one
    ran the check the debounce held back: each key cost a whole check (at 500 initiatives,
    20 keys typed were 20 checks). They are answered from the latest check, the quick fix
    placed on the text as typed; the check runs once the typing pauses."""
    with _unknown_id_open(tmp_path_factory, "typing") as (client, path, uri, unknown):
        assert client.published_versions[uri] == 1
        line = position_of(path, "addresses: [PP-bankid-fails]")
        column = line["character"] + len("addresses: [")
        for n, key in enumerate("PP-x, "):  # typed into another initiative's list, key by key
            client.edit(uri, ((line["line"], column + n), (line["line"], column + n), key))
            actions = client.request("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]}})
            fix = next(a for a in actions if a["title"] == "Replace with 'PP-black-hole'")
            assert fix["edit"]["changes"] == {uri: [{"range": unknown["range"], "newText": "PP-black-hole"}]}
            assert client.published_versions[uri] == 1  # no check ran: each state typed would differ
        # The one check after the typing, of the text as typed.
        found = client.wait_for(uri, lambda d: client.published_versions[uri] == 7)
        assert sorted(d["message"].split("\n")[0] for d in found if d["code"] == "CXP102") == [
            "addresses[0] names unknown pain point 'PP-blackhole' (initiative DIG-007)",
            "addresses[0] names unknown pain point 'PP-x' (initiative DIG-008)"]


def _applied(text: str, edits: list[dict[str, Any]]) -> str:
    """`text` with one-line-range edits applied (ASCII text: UTF-16 units are characters)."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                       reverse=True):
        start, end = edit["range"]["start"], edit["range"]["end"]
        assert start["line"] == end["line"]
        line = lines[start["line"]]
        lines[start["line"]] = line[:start["character"]] + edit["newText"] + line[end["character"]:]
    return "\n".join(lines)


def test_a_quick_fix_of_the_latest_check_is_never_placed_on_lines_typed_since(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Code actions are answered from the latest check while the next is held back: a fix
    that adds a line where that check placed it (the completed date below `status: done`)
    would land a line off after a line typed above it. It is offered once the check has
    seen the text; until then, only the fixes placed on the text as typed."""
    root = copy_of_example(tmp_path_factory, "typed-above")
    path = root / "units" / "digital.yaml"
    undated = path.read_text(encoding="utf-8").replace("    completed: 2026-04-30\n", "", 1)
    path.write_text(undated, encoding="utf-8")
    client = _held_back(root)
    try:
        uri = client.open(path)
        missing = next(d for d in client.wait_for(uri, lambda d: any("no completed date" in x["message"] for x in d))
                       if "no completed date" in d["message"])
        typed = undated.replace("initiatives:\n", "initiatives:\n  # the 2026 plan\n", 1)
        client.edit(uri, ((12, 0), (12, 0), "  # the 2026 plan\n"))
        dated = typed.replace("    status: done\n", "    status: done\n    completed: 2026-06-30\n", 1)

        def completed() -> list[dict[str, Any]]:
            return [a for a in client.request("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "range": missing["range"], "context": {"diagnostics": [missing]}})
                if a["title"].startswith("Add completed")]

        assert [_applied(typed, a["edit"]["changes"][uri]) for a in completed()] in ([], [dated])
        client.wait_for(uri, lambda d: client.published_versions[uri] == 2)  # the check has seen the line
        assert [_applied(typed, a["edit"]["changes"][uri]) for a in completed()] == [dated]
    finally:
        client.close()


def test_completions_asked_while_typing_run_no_check_the_debounce_holds_back(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Editors ask for completions at each trigger character typed (a space, `[`, `,`),
    and answering one ran the check the debounce held back: each space typed in a title
    cost a whole check. The ids are the latest check's; the place is the text as typed."""
    root = copy_of_example(tmp_path_factory, "completing")
    path = root / "units" / "digital.yaml"
    client = _held_back(root)
    try:
        uri = client.open(path)
        client.wait_for(uri, lambda d: client.published_versions[uri] == 1)
        line = position_of(path, "addresses: [PP-bankid-fails]")
        column = line["character"] + len("addresses: [")
        for n, key in enumerate("PP-x, "):  # each state would publish another unknown id
            client.edit(uri, ((line["line"], column + n), (line["line"], column + n), key))
            items = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {
                "line": line["line"], "character": column + n + 1}})
            assert client.published_versions[uri] == 1  # no check ran
        cursor = {"line": line["line"], "character": column + len("PP-x, ")}
        jargon = next(i for i in items if i["label"] == "PP-jargon")  # in place of the id the cursor is before
        assert jargon["textEdit"] == {"range": {"start": cursor, "end": {
            "line": line["line"], "character": cursor["character"] + len("PP-bankid-fails")}}, "newText": "PP-jargon"}
        found = client.wait_for(uri, lambda d: client.published_versions[uri] == 7)
        assert "addresses[0] names unknown pain point 'PP-x' (initiative DIG-008)" in [
            d["message"].split("\n")[0] for d in found]
    finally:
        client.close()


def test_a_portfolio_left_by_the_editor_takes_its_findings_with_it(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A portfolio's findings stayed in the editor's problem list for good once it was no
    longer the editor's: its workspace folder removed, or its last file closed where it
    lies outside every workspace folder (a file opened from elsewhere). They are withdrawn;
    a portfolio in the workspace keeps them after its files are closed."""
    root = copy_of_example(tmp_path_factory, "workspace")
    added = copy_of_example(tmp_path_factory, "added", "welfare-agency")
    elsewhere = copy_of_example(tmp_path_factory, "elsewhere", "welfare-agency")
    client = Client(root)
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {},
                                      "workspaceFolders": [{"uri": root.as_uri(), "name": "nordbank"}]})
        client.notify("initialized", {})
        client.notify("workspace/didChangeWorkspaceFolders", {"event": {
            "added": [{"uri": added.as_uri(), "name": "added"}], "removed": []}})
        for portfolio in (root, added, elsewhere):
            pains = (portfolio / "pain_points.yaml").as_uri()
            client.open(portfolio / "pain_points.yaml")
            client.wait_for(pains, lambda d: "CXP202" in codes(d))
            client.notify("textDocument/didClose", {"textDocument": {"uri": pains}})
        client.wait_for((elsewhere / "pain_points.yaml").as_uri(), lambda d: d == [])
        client.notify("workspace/didChangeWorkspaceFolders", {"event": {
            "added": [], "removed": [{"uri": added.as_uri(), "name": "added"}]}})
        client.wait_for((added / "pain_points.yaml").as_uri(), lambda d: d == [])
        time.sleep(0.3)  # four times the debounce: a check held back would have published by now
        shown = {uri for uri, found in client.diagnostics.items() if found}
        assert shown and all(uri.startswith(root.as_uri() + "/") for uri in shown)
        assert "CXP202" in codes(client.diagnostics[(root / "pain_points.yaml").as_uri()])
    finally:
        client.close()


@pytest.mark.parametrize("data", [
    {"entities": [["DIG-008"]]},  # a list where an id belongs
    {"entities": "DIG-008"},
    {"entities": [5, None]},
    {"entities": ["DIG-008"], "replace": 5, "replacing": "DIG-008"},
    "DIG-008",
])
def test_a_diagnostic_sent_back_with_data_of_another_shape_gets_no_fix_not_an_error(
        client: Client, portfolio: Path, data: Any) -> None:
    """A client sends back whatever diagnostic it holds (another server's too): data whose
    entities were not texts (`[["DIG-008"]]`) made the request an internal error
    ("unhashable type: 'list'") instead of an answer."""
    path = portfolio / "units" / "digital.yaml"
    uri = client.open(path)
    where = _at(path, "id: DIG-008", offset=len("id: "))["position"]
    span = {"start": where, "end": {"line": where["line"], "character": where["character"] + len("DIG-008")}}
    for code in ("CXP105", "CXP102", "CXP201"):
        sent = {"range": span, "message": "m", "code": code, "source": "cxportfolio", "data": data}
        assert client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": span, "context": {"diagnostics": [sent]}}) == []


def test_a_message_quoting_white_space_reads_on_one_line_as_check_prints_it(client: Client, portfolio: Path,
                                                                            tmp_path: Path) -> None:
    """Every output of `check` folds the runs of spaces in a message (a key or value
    quoted from the file) to one space; the editor showed the same finding with the
    spaces as written: `unknown field 'eff  ort'`, where `check` says 'eff ort'."""
    path = portfolio / "units" / "digital.yaml"
    uri = client.open(path)
    original = path.read_text(encoding="utf-8")
    written = original.replace("    effort: 8\n", '    "eff  ort": 8\n    "plan   ned": 1\n', 1)
    client.change(uri, written)
    found = client.wait_for(uri, lambda d: sum(x["code"] == "CXP002" for x in d) == 2)
    shown = sorted(d["message"].split("\nhelp: ")[0] for d in found if d["code"] == "CXP002")
    assert shown == ["unknown field 'eff ort' (initiative DIG-007)", "unknown field 'plan ned' (initiative DIG-007)"]
    copy = tmp_path / "portfolio"
    shutil.copytree(portfolio, copy)
    (copy / "units" / "digital.yaml").write_text(written, encoding="utf-8")
    printed = subprocess.run([sys.executable, "-m", "cxportfolio", "check", str(copy), "--as-of", "2026-06-30",
                              "--format", "json"], capture_output=True, text=True, check=False).stdout
    assert shown == sorted(f["message"] for f in json.loads(printed)["findings"] if f["code"] == "CXP002")
    client.change(uri, original)
    client.wait_for(uri, lambda d: "CXP002" not in codes(d))


def test_a_file_opened_as_the_latest_check_read_it_is_not_checked_again(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """An editor restoring its tabs opens file after file, each as it is on disk, and
    each open checked the whole portfolio again (thirty tabs, thirty checks: at 500
    initiatives 3.4 s before the first answer) though nothing had changed. A file opened
    as the latest check read it shows the findings published; one opened with other text
    is checked at once."""
    root = copy_of_example(tmp_path_factory, "tabs")
    client = Client(root, [sys.executable, "-c", "import datetime as dt, sys; from cxportfolio.lsp import session; "
                           "from cxportfolio.lsp.server import make_server; check = session.Session.check; "
                           "session.Session.check = lambda self, *a: (print('checked', file=sys.stderr, flush=True), "
                           "check(self, *a))[1]; make_server(dt.date(2026, 6, 30)).start_io()"])
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        files = sorted(root.rglob("*.yaml"))
        for path in files:
            client.open(path)
        pains = (root / "pain_points.yaml").as_uri()
        client.request("textDocument/hover", {"textDocument": {"uri": pains}, "position": {"line": 0, "character": 0}})
        assert len(files) > 5 and client.stderr == ["checked\n"]
        assert "CXP202" in codes(client.wait_for(pains, lambda d: bool(d)))
        # and a fix placed where that check placed it is offered in a file opened since
        advisory = (root / "units" / "advisory.yaml").as_uri()
        cluster = next(d for d in client.diagnostics[advisory] if d["code"] == "CXP201")
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": advisory}, "range": cluster["range"], "context": {"diagnostics": [cluster]}})
        assert [a["title"] for a in actions if a["title"].startswith("Accept CXP201") and a.get("edit")]
        digital = root / "units" / "digital.yaml"
        client.notify("textDocument/didClose", {"textDocument": {"uri": digital.as_uri()}})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": digital.as_uri(), "languageId": "yaml", "version": 2,
            "text": digital.read_text(encoding="utf-8").replace("[PP-black-hole]", "[PP-blackhole]", 1)}})
        client.wait_for(digital.as_uri(), lambda d: "CXP102" in codes(d))
    finally:
        client.close()


def test_a_uri_holding_a_lone_surrogate_is_no_file_and_gets_empty_answers(client: Client, portfolio: Path) -> None:
    """JSON can spell a lone surrogate ("\\ud800"), which no file name holds: every request
    on a document so named was an internal error ("surrogates not allowed")."""
    uri = (portfolio / "units").as_uri() + "/\ud800.yaml"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": "initiatives: []\n"}})
    at = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}
    assert client.request("textDocument/hover", at) is None
    assert client.request("textDocument/definition", at) == []
    assert client.request("textDocument/completion", at) == []
    assert client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": {
        "start": at["position"], "end": at["position"]}, "context": {"diagnostics": []}}) == []
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    pains = portfolio / "pain_points.yaml"
    assert client.request("textDocument/definition", _at(pains, "PP-black-hole"))  # the rest still answered


@pytest.mark.parametrize("text", ["", "a", "\n", "\r", "\r\n", "a\r\r\nb", "a\n\rb\r\n\n", "\ufeffa\r\nb",
                                  "a\u2028b\x85c\x0cd\ve\r\n", "\r\n\r\n\r", "x" * 5 + "\r\r\n\n\r"])
def test_a_documents_lines_are_split_at_the_protocols_line_ends_only(text: str) -> None:
    """\r\n, \r and \n, as the reader counts lines: not U+2028, NEL, a form feed or a
    vertical tab, where str.splitlines also breaks (a byte-order mark is no line's)."""
    from cxportfolio.lsp.text import lines_of

    assert [str(line) for line in lines_of(text)] == re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))


def test_a_ten_megabyte_line_is_split_about_as_fast_as_str_split() -> None:
    """Found with a 10 MB document: splitting it into lines took 150 ms (a regular
    expression), at each completion, code action and check of it; str.split takes 10."""
    from cxportfolio.lsp.text import lines_of

    text = "title: " + "a" * 10_000_000 + "\n"

    def best(work: Callable[[], object]) -> float:
        times = []
        for _ in range(5):  # CPU time, the best of five: a loaded machine failed it by the wall clock
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return min(times)

    assert best(lambda: lines_of(text)) < 4 * best(lambda: text.split("\n")) + 0.005


@pytest.mark.parametrize("typed", ["x", "-2"])
def test_a_quick_fix_is_not_offered_on_a_word_typed_longer_since(tmp_path_factory: pytest.TempPathFactory,
                                                                 typed: str) -> None:
    """The latest check's replacement is placed on the text as typed where its range still
    holds the word found: a word typed on since (PP-blackhole to PP-blackholex) still held
    it at the old range, and the fix wrote PP-black-holex, a third id."""
    with _unknown_id_open(tmp_path_factory, "typed-longer", debounce=5.0) as (client, path, uri, unknown):
        end = unknown["range"]["end"]
        client.edit(uri, ((end["line"], end["character"]), (end["line"], end["character"]), typed))
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]}})
        assert [a["title"] for a in actions if a["title"].startswith("Replace")] == []
        assert client.published_versions[uri] == 1  # answered from the latest check


def test_a_quick_fix_asked_with_other_files_open_is_placed_in_the_file_asked_about(
        tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Code actions answered from the latest check took the document's file to be the last
    open buffer looked at (a loop over the open files reused its name): with other files
    of the portfolio open, the Replace fix for an unknown id in units/digital.yaml was
    missing, or placed in another file."""
    monkeypatch.setenv("PYTHONHASHSEED", "0")  # the order the open files are looked at in
    with _unknown_id_open(tmp_path_factory, "open-beside", debounce=5.0) as (client, path, uri, unknown):
        for other in sorted(path.parents[1].rglob("*.yaml")):
            if other != path:
                client.open(other)
        for _ in range(3):  # in whichever order the open files come
            actions = client.request("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]}})
            fixes = [a["edit"]["changes"] for a in actions if a["title"] == "Replace with 'PP-black-hole'"]
            assert fixes == [{uri: [{"range": unknown["range"], "newText": "PP-black-hole"}]}]


def test_removing_the_workspace_folder_the_editor_started_in_withdraws_its_findings(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """An editor gives its first folder as rootUri too (VS Code does): once that folder was
    removed, the server still counted the portfolio as the workspace's by rootUri, and its
    findings stayed in the problem list for good. The folders, once given, say it alone."""
    root = copy_of_example(tmp_path_factory, "first-folder")
    other = copy_of_example(tmp_path_factory, "second-folder", "welfare-agency")
    client = Client(root)
    try:
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {},
                                      "workspaceFolders": [{"uri": root.as_uri(), "name": "nordbank"},
                                                           {"uri": other.as_uri(), "name": "welfare"}]})
        client.notify("initialized", {})
        for portfolio in (root, other):
            pains = (portfolio / "pain_points.yaml").as_uri()
            client.open(portfolio / "pain_points.yaml")
            client.wait_for(pains, lambda d: "CXP202" in codes(d))
            client.notify("textDocument/didClose", {"textDocument": {"uri": pains}})
        client.notify("workspace/didChangeWorkspaceFolders", {"event": {
            "added": [], "removed": [{"uri": root.as_uri(), "name": "nordbank"}]}})
        client.wait_for((root / "pain_points.yaml").as_uri(), lambda d: d == [])
        time.sleep(0.3)  # four times the debounce
        assert "CXP202" in codes(client.diagnostics[(other / "pain_points.yaml").as_uri()])
        assert not [uri for uri, found in client.diagnostics.items() if found and uri.startswith(root.as_uri() + "/")]
    finally:
        client.close()


def test_a_completion_while_typing_offers_no_id_deleted_since_the_latest_check(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Completions are answered from the latest check while the next is held back: a pain
    point whose definition was just renamed in pain_points.yaml (PP-jargon to PP-plain-words)
    was still offered as PP-jargon, an id that no longer exists, written into the list."""
    root = copy_of_example(tmp_path_factory, "renamed-since")
    pains, path = root / "pain_points.yaml", root / "units" / "digital.yaml"
    client = _held_back(root, debounce=5.0)
    try:
        uri = client.open(path)
        client.wait_for(uri, lambda d: client.published_versions[uri] == 1)
        pains_uri = client.open(pains)
        client.change(pains_uri, pains.read_text(encoding="utf-8").replace("id: PP-jargon", "id: PP-plain-words", 1))
        line = position_of(path, "addresses: [PP-bankid-fails]")
        items = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {
            "line": line["line"], "character": line["character"] + len("addresses: [")}})
        labels = [i["label"] for i in items]
        assert "PP-jargon" not in labels and "PP-black-hole" in labels
        assert client.published_versions[uri] == 1  # answered from the latest check
    finally:
        client.close()
