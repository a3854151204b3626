"""The protocol, through pygls: documents in, diagnostics and answers out.

A change is checked after a short quiet time (DEBOUNCE_SECONDS), so that typing does not
queue one check per key; open (of a file the latest check did not read as opened) and
save are checked at once. Code actions, which editors ask for after nearly every key,
and completions are answered from the latest check without waiting for the next
(last_check_of). Each check runs the whole engine on the portfolio with the open buffers
laid over the files; only the files whose diagnostics changed are published again.
Without --as-of, "today" is the local date of each check, and every portfolio is checked
again when that date moves (at midnight, or at the first message after it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from cattrs import ClassValidationError, transform_error
from lsprotocol import types
from pygls.exceptions import (FeatureNotificationError, FeatureRequestError, JsonRpcException, JsonRpcInternalError,
                              JsonRpcInvalidParams, JsonRpcInvalidRequest, JsonRpcServerNotInitialized)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from cxportfolio import __version__
from cxportfolio.errors import CxpError
from cxportfolio.load.discovery import portfolio_above
from cxportfolio.load.portfolio_files import CONFIG_NAME
from cxportfolio.lsp import diagnostics, features
from cxportfolio.lsp.session import Session, Snapshot, portfolio_root
from cxportfolio.lsp.text import apply_change, lines_of
from cxportfolio.lsp.uris import path_of, uri_of
from cxportfolio.memory import paused_gc

DEBOUNCE_SECONDS = 0.15
REQUEST_FAILED = -32803  # the protocol's code for a request that is valid but refused
log = logging.getLogger(__name__)


class Refusal(JsonRpcException):
    """A request refused on purpose (a rename onto an id that exists): the editor shows
    why; it is no error of the server's, so pygls does not log it with a traceback."""


class _QuietRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], Refusal))


class _NoTracebackText(logging.Filter):
    """pygls logs a message it cannot read twice: once with the traceback written into
    the text ("Unable to deserialize message" and the trace), then as the error it
    raises, which _Protocol.structure_message makes say what is wrong. The first goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Unable to deserialize message")


class _Protocol(LanguageServerProtocol):
    """pygls' protocol, except that an edit sent as a range is applied with the protocol's
    line ends (\n, \r\n, \r), as the editor applies it: pygls splits a document's lines
    with str.splitlines, which also breaks at U+2028, NEL and a form feed, so in a file
    holding one, every edit below it landed on the wrong line."""

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        uri = params.text_document.uri
        document = self.workspace.text_documents.get(unquote(uri))
        if document is not None:
            text, encoding = document.source, str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)
            for change in params.content_changes:
                if isinstance(change, types.TextDocumentContentChangePartial):
                    where = change.range
                    text = apply_change(text, (where.start.line, where.start.character),
                                        (where.end.line, where.end.character), change.text, encoding)
                else:
                    text = change.text
            self.workspace.put_text_document(types.TextDocumentItem(
                uri, document.language_id or "", params.text_document.version, text))
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    exit_code = 0  # the process's, set by `exit`: 1 unless a shutdown came first (the protocol's)

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args: Any) -> Any:
        self.exit_code = 0 if self._shutdown else 1
        yield from super().lsp_exit(*args)

    def structure_message(self, data: dict[str, Any]) -> Any:
        """pygls' reading of a message, except that a request whose params are not what
        its method takes is answered with InvalidParams, saying which field is wrong: it
        was left unanswered (the editor waited), with pygls' traceback in the log. One that
        is no request at all (`"method": 5`) is answered with InvalidRequest, and one of a
        method the server does not know may leave out its params, as JSON-RPC has it (it
        was left unanswered as an Internal Error, not told MethodNotFound)."""
        version, method = data.get("jsonrpc"), data.get("method")
        if version != self.VERSION:
            return data  # no JSON-RPC 2.0 message: handle_message refuses it
        ident = data.get("id")
        if "method" in data and ident is not None and not _is_rpc_id(ident):
            # `"id": true` was served (a `shutdown` so sent shut the server down) and
            # `"id": {}` failed as a handler of the server's own would; JSON-RPC's id is a
            # number or a text. One log line, no answer: no id the editor could match it by.
            raise JsonRpcInvalidRequest("not a JSON-RPC request: its id is no number or text")
        if "params" not in data and isinstance(method, str) and self.get_message_type(method) is None:
            data = {**data, "params": None}
        refusal: JsonRpcException = JsonRpcInvalidRequest("not a JSON-RPC request, notification or response")
        try:
            # pygls takes `"method": 5` with params for a method it fails to name (an
            # Internal Error with its traceback, for a notification in the log)
            if "method" not in data or isinstance(method, str):
                return super().structure_message(data)
        except JsonRpcInvalidParams as error:
            cause = error.__cause__
            why = "; ".join(transform_error(cause, path="$")) if isinstance(cause, ClassValidationError) else ""
            refusal = JsonRpcInvalidParams(f"invalid params for {method}" + (f": {why}" if why else ""))
        except JsonRpcInternalError:
            pass
        lost = self._lost_its_method(data)
        if lost:
            refusal = JsonRpcInvalidRequest("not a JSON-RPC request: it has an id but no method")
        if "method" in data and ident is not None or lost:
            self._send_response(ident, None, refusal.to_response_error())
        raise refusal from None

    def _lost_its_method(self, data: dict[str, Any]) -> bool:
        """Whether a message with no method is a request that lost it (`{"id": 9}`): an id
        the editor waits on, neither a result nor an error, so no response; JSON-RPC 2.0
        answers such a request InvalidRequest. An id of a request of the server's own
        (client/registerCapability) is a broken response to it, the editor waiting on
        nothing: logged only."""
        ident = data.get("id")
        return ("method" not in data and "result" not in data and "error" not in data
                and _is_rpc_id(ident) and ident not in self._request_futures)

    def handle_message(self, message: Any) -> None:
        if getattr(message, "jsonrpc", None) != self.VERSION:
            # `[1]`, an object without `"jsonrpc": "2.0"`: pygls left a request so sent
            # unanswered and logged the whole message, or an AttributeError. One log line
            # (pygls.io_), and a request with an id is answered.
            refusal = JsonRpcInvalidRequest('not a JSON-RPC 2.0 message (`"jsonrpc": "2.0"`)')
            ident = message.get("id") if isinstance(message, dict) else getattr(message, "id", None)
            method = message.get("method") if isinstance(message, dict) else getattr(message, "method", None)
            if method is not None and _is_rpc_id(ident):  # `"id": 9.5` too, as a 2.0 request's
                self._send_response(ident, None, refusal.to_response_error())
            raise refusal
        if self._refused_in_lifecycle(message):
            return
        # Before each message is handled: a request sent the morning after answers, and
        # publishes, for today (a timer may not have fired: a laptop asleep at midnight).
        server = self._server
        if isinstance(server, PortfolioServer) and not self._shutdown:
            server.recheck_if_the_day_moved()
        super().handle_message(message)

    def _refused_in_lifecycle(self, message: Any) -> bool:
        """A request the protocol says to refuse with an error, not leave unanswered or
        answer as a crash: before `initialize` (ServerNotInitialized), after `shutdown`
        (InvalidRequest). A notification then is dropped, `exit` excepted."""
        method = getattr(message, "method", None)
        if method == types.EXIT:
            return False
        if self._shutdown:
            refusal: JsonRpcException = JsonRpcInvalidRequest("the server was shut down: only `exit` is taken")
        elif self._workspace is None and method != types.INITIALIZE:
            refusal = JsonRpcServerNotInitialized("the server is not initialized: send `initialize` first")
        else:
            return False
        if method is not None and getattr(message, "id", None) is not None:
            self._send_response(message.id, None, refusal.to_response_error())
        return method is not None


_CONTENT_LENGTH = re.compile(rb"Content-Length: (\d+)\r\n")  # as pygls.io_ reads it
_GLUED_HEADER = re.compile(rb"Content-Length: \d+\r\n\Z")  # a header after a skipped body, on its line


def _is_rpc_id(value: Any) -> bool:
    """Whether `value` is a JSON-RPC id: a number (`9.5` too) or a text, never true or
    false, which Python counts as numbers. A null id, which JSON-RPC allows, is read as
    none: an answer to it could be matched to no request (every branch asks this)."""
    return isinstance(value, (int, float, str)) and not isinstance(value, bool)


class _Utf8Bodies:
    """stdin, each message's body given as the protocol's UTF-8 text, a byte that is not
    UTF-8 kept as a lone surrogate (U+DCE5 for 0xe5), as the server reads one in a document
    (session.py). A message holding one (an editor sending a Latin-1 file's bytes as they
    are) was dropped whole: a request left unanswered, the file never opened; and `json`
    took a body beginning with 0xff 0xfe for UTF-16. A body that is no JSON is logged, one
    line; no Parse error is sent, as its id would be null, which Neovim's client takes for
    an error of its own."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.length_given = False  # the header being read has pygls' `Content-Length: N` line

    def readline(self) -> bytes:
        # pygls skips a header without `Content-Length: N\r\n` (`content-length: 5`, `: abc`)
        # and its body, saying nothing: the editor's request waited unanswered, unexplained.
        line = self.stream.readline()
        if not _CONTENT_LENGTH.fullmatch(line) and (glued := _GLUED_HEADER.search(line)):
            # A body is framed by its length, with no line end: one skipped ends on the line
            # of the next header, which pygls (reading whole lines) lost too, and with it the
            # next message, and so on. Read from that header; a header line is never a body's
            # (a JSON text holds no CR LF within a string).
            line = line[glued.start():]
        if _CONTENT_LENGTH.fullmatch(line):
            self.length_given = True
        elif line and not line.strip():
            if not self.length_given:
                log.error("a message without a `Content-Length: N` header is skipped, with what follows it "
                          "up to the next header")
            self.length_given = False
        return line

    def read(self, size: int) -> str:
        return self.stream.read(size).decode("utf-8-sig", "surrogateescape")


class PortfolioServer(LanguageServer):
    def __init__(self, as_of: dt.date | None = None, debounce: float = DEBOUNCE_SECONDS,
                 clock: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__("cxportfolio", __version__, protocol_cls=_Protocol)
        self.as_of, self.debounce, self.clock = as_of, debounce, clock
        self.now: Callable[[], dt.datetime] = dt.datetime.now  # the local time the timer reads (a test's own)
        self._midnight: asyncio.TimerHandle | None = None
        self.sessions: dict[Path, Session] = {}
        self.published: dict[str, list[types.Diagnostic]] = {}
        self._pending: dict[Path, asyncio.TimerHandle] = {}
        # The portfolios whose check is held back for more than an edit typed in a buffer
        # (a file changed on disk, the date moved): a quick fix waits for that check.
        self._not_typed: set[Path] = set()
        self.spelled: dict[Path, str] = {}  # the client's URI of each file it opened (uris.py)
        # Once the client names workspace folders, they alone are the workspace: its rootUri
        # (the first folder, in VS Code) stays as it was when that folder is removed.
        self.folders_given = False

    def start_io(self, stdin: Any = None, stdout: Any = None) -> None:
        super().start_io(_Utf8Bodies(stdin or sys.stdin.buffer), stdout)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls showed a popup ("Error in server: …", window/showMessage) for each error
        outside a request's answer, one per message from the editor that it could not read
        (not JSON, params its method does not take): the editor's mistake, a popup per key
        typed. Such a message is one line in the log, and a request is answered with its
        error where it has an id. A handler of the server's own that fails is logged, on
        stderr and in the editor's log for the server (window/logMessage), and a request it
        answers is answered with InternalError (pygls): in the log, not in a popup."""
        if source not in (FeatureRequestError, FeatureNotificationError):
            return  # a message read (pygls.io_: answered where it can be) or one not sent: logged there
        if isinstance(error, JsonRpcException) and not isinstance(error, JsonRpcInternalError):
            return  # a request answered with an error on purpose (a Refusal, an unknown method)
        said = error.message if isinstance(error, JsonRpcInternalError) else f"{type(error).__name__}: {error}"
        if source is not FeatureRequestError:  # pygls logs a request's failure itself
            log.error("a handler failed: %s", said)
        self.window_log_message(types.LogMessageParams(types.MessageType.Error,
                                                       "cxportfolio lsp: a handler failed: " + " ".join(said.split())))

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def uri(self, path: Path) -> str:
        """The URI the server names a file by: the client's own for a file it opened, as
        it compares them as text (published under another spelling, a file's diagnostics
        were another document's to it), else uris.uri_of's."""
        path = Path(os.path.abspath(path))
        return self.spelled.get(path) or uri_of(path)

    def document(self, uri: str) -> Any:
        """The open document at `uri`, None for a file not open: pygls keeps them by their
        URI with %XX decoded."""
        return self.workspace.text_documents.get(unquote(uri))

    def session_of(self, uri: str) -> tuple[Session, str] | None:
        """The session of the portfolio holding the document, and its path there."""
        path = path_of(uri)
        if path is None:
            return None
        root = portfolio_root(path)
        if root is None:
            return None
        session = self.sessions.get(root)
        if session is None:
            session = self.sessions[root] = Session(root, self.as_of)
            # Files of it already open (a portfolio back after a checkout): as typed, not as saved.
            for document in self.workspace.text_documents.values():
                open_path = path_of(document.uri)
                if open_path and portfolio_root(open_path) == root:
                    session.buffers[root / session.relative(open_path)] = document.source
        return session, session.relative(path)

    def holds_an_open_file(self, uri: str) -> bool:
        """Whether the portfolio holding the file at `uri` holds a file open in the editor."""
        path = path_of(uri)
        root = portfolio_root(path) if path is not None else None
        return root is not None and any(
            (open_path := path_of(document.uri)) is not None and portfolio_root(open_path) == root
            for document in self.workspace.text_documents.values())

    def sessions_of(self, uris: Iterable[str]) -> list[Session]:
        """The open portfolios holding any of these files (changed on disk)."""
        paths = [path for path in map(path_of, uris) if path]
        return [session for root, session in self.sessions.items()
                if any(path.is_relative_to(root) for path in paths)]

    def snapshot_of(self, uri: str) -> tuple[Snapshot, str] | None:
        found = self.session_of(uri)
        if found is None:
            return None
        session, file = found
        # A request sent right after an edit (a rename, a quick fix) must see the text as
        # typed: the check the debounce holds back runs now, not the previous snapshot's
        # positions applied to a changed buffer.
        if session.snapshot is None or session.root in self._pending:
            return self.check(session), file
        return session.snapshot, file

    def last_check_of(self, uri: str) -> tuple[Snapshot, str, dict[str, list[str] | None]] | None:
        """The latest check of the document's portfolio, and the files typed in since it
        (their lines now; None for a file closed since), without running the check the
        debounce holds back for keystrokes: an editor asks for code actions after nearly
        every change, and running it for each would check the portfolio once a key. A
        check held back for anything else (a file changed on disk) runs first."""
        found = self.session_of(uri)
        if found is None:
            return None
        session, file = found
        if session.snapshot is None or session.root in self._not_typed:
            return self.check(session), file, {}
        snapshot = session.snapshot
        typed: dict[str, list[str] | None] = {}
        for path in {*session.buffers, *map(snapshot.path, snapshot.buffered)}:
            now, buffered = session.buffers.get(path), session.relative(path)  # not `file`: it is returned
            if now is None or now != snapshot.text(buffered):  # (opened since, as read: not typed in)
                typed[buffered] = None if now is None else lines_of(now)
        return snapshot, file, typed

    def read_as_opened(self, session: Session, uri: str, text: str) -> bool:
        """Whether the latest check read the file just opened as the editor has it (the
        file on disk, unchanged since), so that its findings are those published: an
        editor restoring thirty tabs checked the portfolio thirty times over."""
        snapshot, path = session.snapshot, path_of(uri)
        if snapshot is None or path is None or session.root in self._pending:
            return False
        file = session.relative(path)
        return file in snapshot.run.result.files and file not in snapshot.unreadable and snapshot.text(file) == text

    def check(self, session: Session) -> Snapshot:
        self._not_typed.discard(session.root)
        pending = self._pending.pop(session.root, None)
        if pending is not None:  # this check is the one the debounce held back
            pending.cancel()
        # The collector waits until the diagnostics are sent: its pass over what the check
        # built (about 10 ms at 1,000 initiatives) then delays no one.
        with paused_gc():
            try:
                snapshot = session.check(self.clock())
            except CxpError as err:  # no portfolio any more (config deleted): say so, keep serving
                self.window_log_message(types.LogMessageParams(types.MessageType.Warning, f"cxportfolio: {err}"))
                if portfolio_above(session.root) != session.root:
                    self.forget(session)
                raise
            self.publish(snapshot)
            session.memo.release()  # what the check no longer needs is freed once it is published
        return snapshot

    def publish(self, snapshot: Snapshot) -> None:
        def uri(file: str) -> str:
            return self.uri(snapshot.path(file))

        # A file is shown the findings of the portfolio it belongs to, as `check` finds it
        # from the file's folder: of a portfolio nested in this one (read by this one as
        # documents, docs/format.md), the nested one's, or the two checks would replace each other's.
        owners: dict[str, Path | None] = {}

        def ours(target: str) -> bool:
            path = path_of(target)
            folder = os.path.dirname(path) if path else None
            if folder is None:
                return False
            if folder not in owners:
                owners[folder] = portfolio_above(Path(folder))
            return owners[folder] == snapshot.root

        result = snapshot.run.result
        found = diagnostics.by_file(result.findings, result.files, snapshot.lines, uri, self.encoding, snapshot.memo)
        fresh = {target: d for target, d in ((uri(file), d) for file, d in found.items()) if ours(target)}
        for target in self.published:
            if ours(target):
                fresh.setdefault(target, [])  # its findings are gone
        self._send(fresh, snapshot)

    def forget(self, session: Session) -> None:
        """The portfolio is no more (its cxportfolio.yaml deleted or moved): its findings are
        withdrawn and its session dropped, so that its files go with the portfolio they now
        belong to, if any."""
        self._drop(session)
        withdrawn: dict[str, list[types.Diagnostic]] = {}
        adopted: dict[Path, str] = {}
        for target in self.published:
            path = path_of(target)
            if path and path.is_relative_to(session.root):
                owner = portfolio_root(path)  # a portfolio nested in it keeps its own
                if owner is None:
                    withdrawn[target] = []
                elif not owner.is_relative_to(session.root):
                    # Now a file of the portfolio around it (the nested one's config gone):
                    # that one's check says what it shows, whether it ran before this or
                    # runs after; withdrawing here would blank what it published.
                    adopted.setdefault(owner, target)
        self._send(withdrawn, None)
        for target in adopted.values():
            if (found := self.session_of(target)) is not None:
                self.schedule(found[0])

    def _drop(self, session: Session) -> None:
        """The session goes, with the check held back for it."""
        self.sessions.pop(session.root, None)
        self._not_typed.discard(session.root)
        if (pending := self._pending.pop(session.root, None)) is not None:
            pending.cancel()

    def in_workspace(self, root: Path) -> bool:
        """Whether the folder and a workspace folder of the editor (or its root) overlap:
        one holds the other (a workspace opened on a portfolio's `units/`)."""
        folders = [f.uri for f in self.workspace.folders.values()]
        if not self.folders_given:
            folders.append(self.workspace.root_uri or "")
        return any(root.is_relative_to(folder) or Path(folder).is_relative_to(root)
                   for folder in (os.path.abspath(p) for p in map(path_of, folders) if p))

    def shown(self, session: Session) -> bool:
        """Whether the portfolio is the editor's to show: a file of it open, or in the workspace."""
        return self.in_workspace(session.root) or self.holds_an_open_file(uri_of(session.root / CONFIG_NAME))

    def leave(self, session: Session) -> None:
        """A portfolio no longer the editor's to show (its last file closed outside the
        workspace, its workspace folder removed): its findings are withdrawn and its
        session dropped, where they stayed in the problem list for good."""
        self._drop(session)
        nested = [root for root in self.sessions if root.is_relative_to(session.root)]  # a portfolio of its own
        self._send({target: [] for target in self.published
                    if (path := path_of(target)) is not None and path.is_relative_to(session.root)
                    and not any(path.is_relative_to(root) for root in nested)}, None)

    def _send(self, fresh: dict[str, list[types.Diagnostic]], snapshot: Snapshot | None) -> None:
        """Publish the files' diagnostics that differ from those published last."""
        for target, found in sorted(fresh.items()):
            if self.published.get(target) != found:
                self.published[target] = found
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                    target, found, self._version_checked(snapshot, target) if snapshot is not None else None))

    def _version_checked(self, snapshot: Snapshot, uri: str) -> int | None:
        """The open document's version when the check saw its text as it is now, as a
        buffer or on disk (an editor drops diagnostics of an older version); None for a
        file not open."""
        document = self.document(uri)
        path = path_of(uri)
        if document is None or document.version is None or path is None:
            return None
        return document.version if snapshot.text(snapshot.relative(path)) == document.source else None

    def respell(self, path: Path, uri: str) -> None:
        """Name `path` as the client spelt it when it opened or changed it; diagnostics
        published under another spelling are withdrawn from it (the next check publishes
        them under this one)."""
        path = Path(os.path.abspath(path))
        before = self.uri(path)
        self.spelled[path] = uri
        if before != uri and self.published.pop(before, None):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(before, [], None))

    def recheck_if_the_day_moved(self) -> None:
        """Without --as-of, each check's date is the day it ran: the portfolios last
        checked on another day are checked again (CXP105's future dates, CXP405's days
        since completion, the date a quick fix writes)."""
        if self.as_of is not None:
            return
        today = self.clock()
        for session in list(self.sessions.values()):
            if session.snapshot is not None and session.snapshot.run.as_of != today \
                    and session.root not in self._pending:
                self.schedule(session)

    def wake_at_midnight(self) -> None:
        """Look at the date again just after the next local midnight (or within the hour:
        the loop's clock stands still while the machine sleeps), and every time after."""
        if self.as_of is not None:
            return

        def woken() -> None:
            self.recheck_if_the_day_moved()
            self.wake_at_midnight()

        self._midnight = asyncio.get_running_loop().call_later(seconds_to_next_look(self.now()), woken)

    def stop_checking(self) -> None:
        """At `shutdown`: the checks held back by the debounce and the midnight timer are
        cancelled, so that nothing is published to a client that is closing the connection."""
        for pending in self._pending.values():
            pending.cancel()
        self._pending.clear()
        self._not_typed.clear()
        if self._midnight is not None:
            self._midnight.cancel()
            self._midnight = None

    def schedule(self, session: Session, typed: bool = False) -> None:
        """Check the portfolio after the debounce; `typed`: for an edit in an open buffer only."""
        pending = self._pending.pop(session.root, None)
        if pending is not None:
            pending.cancel()
        if not typed:
            self._not_typed.add(session.root)
        self._pending[session.root] = asyncio.get_running_loop().call_later(self.debounce, self._checked, session)

    def _checked(self, session: Session) -> None:
        try:
            self.check(session)
        except CxpError:
            pass  # logged to the client by check()
        except Exception:  # noqa: BLE001 - a bug must not take the editor's server down
            log.exception("check failed")

    def buffer(self, uri: str, text: str | None) -> Session | None:
        found = self.session_of(uri)
        if found is None:
            return None
        session, file = found
        path = session.root / file
        self.respell(path, uri)
        if text is None:
            session.close(path)
        else:
            session.buffers[path] = text
        return session


def seconds_to_next_look(now: dt.datetime) -> float:
    """Seconds from `now` to a second past the next local midnight, at most an hour: the
    event loop's clock stands still while the machine sleeps, so a laptop woken at 9 in
    the morning still looks within the hour."""
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())
    return min((midnight - now).total_seconds() + 1, 3600.0)


def make_server(as_of: dt.date | None = None, debounce: float = DEBOUNCE_SECONDS,
                clock: Callable[[], dt.date] = dt.date.today) -> PortfolioServer:
    """The server; `clock` gives today's date where no `as_of` fixes it (a test's own)."""
    server = PortfolioServer(as_of, debounce, clock)
    pygls_log = logging.getLogger("pygls.protocol.json_rpc")
    for kind in (_QuietRefusals, _NoTracebackText):
        if not any(isinstance(f, kind) for f in pygls_log.filters):
            pygls_log.addFilter(kind())

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PortfolioServer, params: types.DidOpenTextDocumentParams) -> None:
        session = ls.buffer(params.text_document.uri, params.text_document.text)
        if session is not None and session.snapshot is not None \
                and ls.read_as_opened(session, params.text_document.uri, params.text_document.text):
            ls.publish(session.snapshot)  # under the client's spelling of its URI, if another
        elif session is not None:
            ls._checked(session)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PortfolioServer, params: types.DidChangeTextDocumentParams) -> None:
        document = ls.document(params.text_document.uri)  # _Protocol applied the changes
        if document is None:  # not open (a change sent late, after the close): the file on disk counts
            return
        session = ls.buffer(params.text_document.uri, document.source)
        if session is not None:
            ls.schedule(session, typed=True)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PortfolioServer, params: types.DidSaveTextDocumentParams) -> None:
        found = ls.session_of(params.text_document.uri)
        if found is not None:
            ls._checked(found[0])

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PortfolioServer, params: types.DidCloseTextDocumentParams) -> None:
        session = ls.buffer(params.text_document.uri, None)  # the file on disk counts again
        if session is not None and not ls.shown(session):
            ls.leave(session)
        elif session is not None:
            ls.schedule(session)

    @server.feature(types.INITIALIZED)
    def initialized(ls: PortfolioServer, params: types.InitializedParams) -> None:
        ls.folders_given = bool(ls.workspace.folders)
        ls.wake_at_midnight()
        # Files changed on disk (a git checkout, a file deleted) are checked again: the
        # editor watches them for the server when it can be asked to.
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            ls.client_register_capability(types.RegistrationParams([types.Registration(
                "cxportfolio-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                types.DidChangeWatchedFilesRegistrationOptions([types.FileSystemWatcher("**/*.{yaml,yml}")]))]))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: PortfolioServer, params: None) -> None:
        ls.stop_checking()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: PortfolioServer, params: types.DidChangeWatchedFilesParams) -> None:
        sessions = ls.sessions_of(change.uri for change in params.changes)
        # A cxportfolio.yaml made or deleted (a checkout): the portfolio its folder now
        # belongs to is checked too, with the files open in it as typed — when a file open
        # belongs to it: a checkout touches the configs of portfolios no one opened (a
        # repository's test fixtures), which are not the editor's to show.
        for change in params.changes:
            if change.uri.endswith("/" + CONFIG_NAME) and ls.holds_an_open_file(change.uri) \
                    and (found := ls.session_of(change.uri)) is not None:
                sessions.append(found[0])
        for session in dict.fromkeys(sessions):
            ls.schedule(session)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: PortfolioServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        if params.event.removed:  # pygls has taken them out of ls.workspace.folders
            for session in [s for s in ls.sessions.values() if not ls.shown(s)]:
                ls.leave(session)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: PortfolioServer, params: types.DefinitionParams) -> list[types.Location]:
        return _answer(ls, params.text_document.uri, [], lambda s, f, uri: features.definition(
            s, f, params.position, uri, ls.encoding))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: PortfolioServer, params: types.ReferenceParams) -> list[types.Location]:
        return _answer(ls, params.text_document.uri, [], lambda s, f, uri: features.references(
            s, f, params.position, uri, ls.encoding, params.context.include_declaration))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: PortfolioServer, params: types.HoverParams) -> types.Hover | None:
        return _answer(ls, params.text_document.uri, None, lambda s, f, uri: features.hover(
            s, f, params.position, ls.encoding))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" ", "[", ","]))
    def completion(ls: PortfolioServer, params: types.CompletionParams) -> list[types.CompletionItem]:
        # The buffer as typed now, not as last checked: the cursor is on text the check may
        # not have seen. The ids are the latest check's, without running the one the
        # debounce holds back: editors ask at each space, `[` or `,` typed. Read only for a
        # file of a portfolio: pygls reads a document not open from its path,
        # `untitled:Untitled-1` as the file Untitled-1 in the working folder.
        found = _latest(ls, params.text_document.uri)
        if found is None:
            return []
        return features.completion(found[0], lines_of(ls.workspace.get_text_document(params.text_document.uri).source),
                                   params.position, ls.encoding, found[2])

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(ls: PortfolioServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        def renamed(snapshot: Snapshot, file: str, uri: Any) -> types.WorkspaceEdit | None:
            found = features.occurrence_at(snapshot, file, params.position, ls.encoding)
            if found is not None:
                features.refuse_while_unreadable(snapshot, found.key[-1])
            return features.rename(snapshot, file, params.position, params.new_name, uri, ls.encoding)

        try:
            return _answer(ls, params.text_document.uri, None, renamed)
        except features.RenameRefused as refused:  # the editor shows why, not a Python error
            raise Refusal(str(refused), code=REQUEST_FAILED) from None

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: PortfolioServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        documents = ls.client_capabilities.text_document
        asked = documents.code_action if documents else None
        found = _latest(ls, params.text_document.uri)
        if found is None:
            return []
        snapshot, file, typed = found
        return features.code_actions(snapshot, file, lambda f: ls.uri(snapshot.path(f)),
                                     list(params.context.diagnostics), ls.encoding,
                                     bool(asked and asked.disabled_support), typed)

    return server


def _latest(ls: PortfolioServer, uri: str) -> tuple[Snapshot, str, dict[str, list[str] | None]] | None:
    """`last_check_of` the document, or None where no check answers for it: a file of no
    portfolio, or a portfolio that cannot be checked (a completion or a code action is
    then no list, never an error)."""
    try:
        return ls.last_check_of(uri)
    except CxpError:
        return None


def _answer(ls: PortfolioServer, uri: str, nothing: Any, answer: Any) -> Any:
    """A request answered from the latest check of the document's portfolio."""
    try:
        found = ls.snapshot_of(uri)
    except CxpError:
        return nothing
    if found is None:
        return nothing
    snapshot, file = found
    return answer(snapshot, file, lambda f: ls.uri(snapshot.path(f)))


class _OneLine(logging.Formatter):
    """A log record as one line on stderr, its exception named, never a traceback: a
    message from the editor that is not JSON is the editor's mistake, logged once."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text = f"{text}: {type(error).__name__}: {error}"
            if error.__cause__ is not None:  # pygls' "Internal Error" says nothing of what went wrong
                text += f" ({type(error.__cause__).__name__}: {error.__cause__})"
        return "cxportfolio lsp: " + " ".join(text.split())


def serve(as_of: dt.date | None = None) -> int:
    """Serve on stdin and stdout until the editor sends `exit` or closes stdin (or never
    opened it); the process's exit code: 1 for an `exit` without `shutdown` before it."""
    if sys.stdin is None:  # `cxportfolio lsp <&-`: nothing will ever ask
        return 0
    handler = logging.StreamHandler()  # stderr, which editors show as the server's log
    handler.setFormatter(_OneLine())
    handler.setLevel(logging.WARNING)
    logging.getLogger().addHandler(handler)
    server = make_server(as_of)
    try:
        server.start_io()
    finally:
        logging.getLogger().removeHandler(handler)
    return server.protocol.exit_code
