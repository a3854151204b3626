"""Find a portfolio's files and read each of them once."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cxportfolio.errors import CxpError
from cxportfolio.load.source_map import Pointer, SourceMap
from cxportfolio.load.yaml_reader import (
    MAX_FILE_BYTES,
    ParsedYaml,
    YamlProblem,
    read_yaml,
    too_large,
)

CONFIG_NAME = "cxportfolio.yaml"
_THREADS_FROM_FILES = 8  # below this, starting threads costs more than it saves
DOCUMENT_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadedFile:
    """One file: its POSIX path relative to the root, its data and its problems."""

    path: str
    parsed: ParsedYaml
    _source_map: SourceMap | None = field(default=None, repr=False)
    _counts: dict[str, int] | None = field(default=None, repr=False)

    @property
    def data(self) -> object:
        return self.parsed.data

    def locate(self, pointer: Pointer, at_key: bool = False) -> tuple[int, int]:
        if self._source_map is None:
            self._source_map = SourceMap(self.parsed.text, self.item_counts)
        return self._source_map.locate(pointer, at_key)

    @property
    def item_counts(self) -> dict[str, int]:
        """How many items each top-level list holds (all the source map needs of the data)."""
        if self._counts is None:
            data = self.parsed.data
            self._counts = ({k: len(v) for k, v in data.items() if isinstance(k, str) and isinstance(v, list)}
                            if isinstance(data, dict) else {})
        return self._counts

    def release_data(self) -> None:
        self.item_counts  # noqa: B018 - computed before the data goes
        self.parsed.data = None


@dataclass
class LoadedPortfolio:
    root: Path
    config: LoadedFile
    documents: list[LoadedFile]

    def file(self, path: str) -> LoadedFile:
        if path == self.config.path:
            return self.config
        return self._by_path[path]

    def __post_init__(self) -> None:
        self._by_path = {f.path: f for f in self.documents}

    def release_data(self) -> None:
        for file in [self.config, *self.documents]:
            file.release_data()

    @property
    def problems(self) -> list[tuple[LoadedFile, YamlProblem]]:
        return [(f, p) for f in [self.config, *self.documents] for p in f.parsed.problems]


def resolve_root(path: Path) -> Path:
    """The portfolio root for a PATH argument, or a one-line CxpError."""
    if not path.exists():
        raise CxpError(f"{path}: no such file or directory")
    if path.is_file():
        if path.name == CONFIG_NAME:
            return path.parent
        raise CxpError(f"{path}: is a file; give the portfolio directory (the one holding {CONFIG_NAME})")
    if not (path / CONFIG_NAME).is_file():
        raise CxpError(
            f"{path}: not a portfolio root, {CONFIG_NAME} is missing "
            "(run `cxportfolio init` to start one)"
        )
    return path


def load_files(path: Path) -> LoadedPortfolio:
    root = resolve_root(path)
    config = read_file(root, root / CONFIG_NAME)
    paths = discover(root)
    if len(paths) < _THREADS_FROM_FILES:
        documents = [read_file(root, p) for p in paths]
    else:
        # The Rust YAML parser lets go of the GIL while it parses, so threads overlap
        # one file's parsing with another's decoding: 1.7× faster on two cores. `map`
        # keeps the order, so the result is the same as reading one by one.
        with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
            documents = list(pool.map(lambda p: read_file(root, p), paths))
    return LoadedPortfolio(root, config, documents)


def discover(root: Path) -> list[Path]:
    """Every *.yaml / *.yml below root except the config; hidden entries are skipped.

    Directory symlinks are followed, but each real directory is entered once, so a link
    back up the tree cannot loop; a file reached twice is read once.
    """
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen_dirs:
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(DOCUMENT_SUFFIXES):
                continue
            full = Path(dirpath, name)
            if dirpath == str(root) and name == CONFIG_NAME:
                continue
            real_file = os.path.realpath(full)
            if real_file in seen_files:
                continue
            seen_files.add(real_file)
            found.append(full)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def read_file(root: Path, full: Path) -> LoadedFile:
    rel = full.relative_to(root).as_posix()
    try:
        size = full.stat().st_size
        if size > MAX_FILE_BYTES:
            return LoadedFile(rel, too_large(size))
        raw = full.read_bytes()
    except OSError as err:
        reason = err.strerror or str(err)
        return LoadedFile(rel, ParsedYaml(None, "", [YamlProblem(
            "CXP001", f"cannot read file: {reason}", 1, 1,
            "check the file's permissions")], usable=False))
    return LoadedFile(rel, read_yaml(raw))
