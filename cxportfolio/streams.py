"""Standard output and standard error: what every command writes goes through here.

- Machine formats (JSON, SARIF, JUnit, GitLab, GitHub commands, CSV, Markdown, HTML,
  schemas) are UTF-8 bytes whatever the locale: a program reads them, and JUnit and HTML
  declare utf-8 themselves.
- Human text is written in the terminal's encoding, a character it cannot show escaped
  (`\\u00e5`) rather than a crash.
- A write that fails is one line on stderr (when stderr can take it) and exit 2; a reader
  that stopped early (`| head`) ends the command quietly with 141, as a shell's own tools
  do (128 + SIGPIPE). A closed stdout is refused before the work, not found after it.

The console command guards its streams (`guard`): every write to them, click's help
included, fails as an OutputError, which the CLI tells apart from any other OSError
(a file it reads). In-process use (tests, a library call) keeps the caller's streams.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import NoReturn

import click

from cxportfolio.errors import CxpError

BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE: `cxportfolio rules | head -1`
INTERRUPTED = 128 + 2  # 128 + SIGINT: Ctrl-C


class OutputError(Exception):
    """A write to stdout or stderr failed. Not an OSError: click must not take it for
    its own broken pipe (which it ends with exit 1), nor the CLI for a file's error."""

    def __init__(self, error: OSError, stream: str) -> None:
        super().__init__(error.strerror or str(error))
        self.errno = error.errno
        self.stream = stream


class _Guarded(io.RawIOBase):
    """A standard stream's file descriptor whose failed write raises OutputError once;
    what is written after (the interpreter's last flush) is dropped, not reported again."""

    def __init__(self, fd: int, name: str) -> None:
        super().__init__()
        self._fd = fd
        self._name = name
        self.failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.failed:
            return len(data)
        try:
            return os.write(self._fd, data)
        except OSError as err:
            self.failed = True
            raise OutputError(err, self._name) from None


def guard() -> None:
    """In the console command's own process: stdout and stderr rebuilt over guarded
    descriptors, escaping what their encoding cannot take (click's help too)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or not isinstance(stream, io.TextIOWrapper) \
                or type(getattr(stream.buffer, "raw", stream.buffer)) is not io.FileIO:  # -u: no raw
            continue  # closed (`>&-`), replaced by whoever runs us, or a Windows console (its own raw I/O)
        try:
            stream.flush()
            fd = stream.fileno()
        except (OSError, ValueError):
            continue
        buffered = io.BufferedWriter(_Guarded(fd, name), buffer_size=io.DEFAULT_BUFFER_SIZE)
        setattr(sys, name, io.TextIOWrapper(buffered, encoding=stream.encoding, errors="backslashreplace",
                                            line_buffering=stream.line_buffering,
                                            write_through=name == "stderr" or stream.write_through))


def require_stdout() -> None:
    """Refuse at once (one line, exit 2) when what the command makes goes to stdout and it
    is closed (`>&-`): never the work done and its output lost with exit 0."""
    if sys.stdout is None:
        raise CxpError("standard output is closed: nothing to write the output to "
                       "(redirect it to a file, or to /dev/null to discard it)")


def out(text: str, *, machine: bool = False, color: bool | None = None, optional: bool = False) -> None:
    """Write a command's output to stdout: `machine` as UTF-8 bytes, else as text the
    stream's encoding can take. `optional`: a courtesy line (`wrote FILE`), dropped when
    stdout is closed."""
    stream = sys.stdout
    if stream is None:
        if optional:
            return
        require_stdout()
    try:
        buffer = getattr(stream, "buffer", None) if machine else None
        if buffer is not None:
            stream.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            click.echo(escaped(text, stream), nl=False, color=color)
    except OSError as err:
        raise OutputError(err, "stdout") from None


def note(text: str) -> None:
    """One line on stderr (a note, a warning), its characters escaped as needed."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        click.echo(escaped(text, stream), err=True)
    except OSError as err:
        raise OutputError(err, "stderr") from None


def escaped(text: str, stream: object) -> str:
    """`text` with what `stream`'s encoding cannot write escaped (`\\U0001f600`)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        pass
    return text


def failed(error: OutputError) -> NoReturn:
    """End the command for a failed write: quietly with 141 when the reader is gone, else
    one line on stderr, when it can take it, and exit 2."""
    if error.errno == errno.EPIPE:
        sys.exit(BROKEN_PIPE)
    if error.stream == "stdout":
        try:
            note(f"cxportfolio: cannot write the output: {error}")
        except OutputError:
            pass
    sys.exit(2)


def finish(code: int) -> NoReturn:
    """Flush stdout and stderr before the interpreter does, so that a failure there is
    one line and an exit code too, never "Exception ignored" and exit 120."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or stream.closed:  # closed by whoever finished with it (the language server)
            continue
        try:
            stream.flush()
        except OutputError as err:
            failed(err)
        except (OSError, ValueError):
            sys.exit(2)
    sys.exit(code)
