"""A file's URI, read and written one way: the protocol names files by URI, and clients
spell one file's URI in several ways (`%C3%A6` or `%c3%a6` or `æ`, `~` or `%7E`,
`file:///`, `file:/` or `file://localhost/`). A URI from the client is read as the path
it names (`path_of`); the server answers under the client's own spelling of a file it
named (PortfolioServer.uri), and under `uri_of`'s for any other.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

_DRIVE = re.compile(r"/[A-Za-z]:")  # file:///C:/... on Windows


def path_of(uri: str) -> Path | None:
    """The file a `file:` URI names, None for another scheme. Its %XX are bytes, decoded
    as the file system names files (a name that is not UTF-8 too, %FF), never as text:
    pygls' `to_fs_path` read `%FF` as U+FFFD, a file no one has. None for a URI that no
    file has (a lone surrogate in its text, which made every request on it an error)."""
    parts = urlsplit(uri)
    if parts.scheme.lower() != "file":
        return None
    try:  # U+DC80–U+DCFF: a byte kept as Python keeps it (surrogateescape), as os.fsdecode does
        raw = unquote_to_bytes(parts.path.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:  # another lone surrogate (a JSON "\ud800"): in no file's name
        return None
    path = os.fsdecode(raw)
    if os.name == "nt" and _DRIVE.match(path):
        path = path[1:]
    if parts.netloc and parts.netloc.lower() != "localhost":  # a share: //host/path
        path = f"//{parts.netloc}{path}"
    return Path(path)


def uri_of(path: Path) -> str:
    """The URI of a file the client has not named: its bytes percent-encoded (a name
    that is not UTF-8 too), as `Path.as_uri` spells it."""
    return Path(os.path.abspath(path)).as_uri()
