"""Loading: hostile and broken input is refused with a located finding, never a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.load.yaml_reader import MAX_FILE_BYTES, read_yaml
from conftest import brief, check

UNIT = "units:\n  - {id: a, name: A}\n"


def only(run, code: str) -> list[str]:
    return brief(run, code)


def test_alias_bomb_is_refused_quickly(portfolio) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    root = portfolio({"bomb.yaml": "\n".join(lines) + "\n"})
    found = only(check(root), "CXP001")
    assert found and "alias" in found[0]


def test_python_tag_constructs_nothing(portfolio, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    root = portfolio({"evil.yaml": f'units: !!python/object/apply:os.system ["touch {marker}"]\n'})
    assert only(check(root), "CXP001") == [
        "evil.yaml:1:8 CXP001: tag '!!python/object/apply:os.system' is not allowed"]
    assert not marker.exists()


def test_huge_file_is_refused_without_parsing(portfolio) -> None:
    root = portfolio({"big.yaml": "units: '" + "x" * (MAX_FILE_BYTES + 10) + "'\n",
                      "bigger.yaml": "units: '" + "x" * (MAX_FILE_BYTES + 2 * 1048576) + "'\n"})
    found = only(check(root), "CXP001")
    # read to the cap and a byte only, its size told by the file system, not the bytes read
    assert found == ["big.yaml:1:1 CXP001: file is over the 16 MiB limit (16.0 MiB)",
                     "bigger.yaml:1:1 CXP001: file is over the 16 MiB limit (18.0 MiB)"]


def test_large_scalar_under_the_limit_is_read(portfolio) -> None:
    root = portfolio({"a.yaml": "units:\n  - id: a\n    name: A\n    description: '" + "x" * 5_000_000 + "'\n"})
    assert brief(check(root)) == []


@pytest.mark.parametrize("text", [
    "units: " + "[" * 20000 + "]" * 20000 + "\n",
    "".join(" " * i + "- \n" for i in range(3000)),
    "".join(" " * i + f"k{i}:\n" for i in range(2000)),
    "units: " + "[" * 80 + "]" * 80 + "\n",
])
def test_deep_nesting_is_refused(portfolio, text: str) -> None:
    found = only(check(portfolio({"deep.yaml": text})), "CXP001")
    assert len(found) == 1 and "nest" in found[0]


def test_invalid_utf8_names_the_byte_position(portfolio) -> None:
    root = portfolio({"a.yaml": b"units:\n  - {id: a, name: \"Bl\xe5b\xe6r\"}\n"})
    assert only(check(root), "CXP001") == ["a.yaml:2:22 CXP001: byte 0xe5 is not valid UTF-8"]


def test_a_binary_file_is_not_taken_for_latin_1(portfolio) -> None:
    """A newcomer saved a program as a.yaml: "byte 0xb8 is not valid UTF-8", hinted "it
    looks like Latin-1 or Windows-1252". NULs beside bytes that are not UTF-8 say binary."""
    root = portfolio({"a.yaml": b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\xb8\x10"})
    run = check(root)
    assert only(run, "CXP001") == ["a.yaml:1:21 CXP001: byte 0xb8 is not valid UTF-8, and the file holds NUL "
                                   "characters: is it binary?"]
    assert run.result.findings[0].hint == "portfolio files are UTF-8 text"


def test_utf16_is_refused_with_a_hint(portfolio) -> None:
    root = portfolio({"a.yaml": UNIT.encode("utf-16")})
    run = check(root)
    assert only(run, "CXP001") == ["a.yaml:1:1 CXP001: file is encoded as UTF-16"]
    assert run.result.findings[0].hint == "save it as UTF-8"


@pytest.mark.parametrize(("encoding", "name"), [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
                                              ("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32")])
def test_a_wide_encoding_without_a_byte_order_mark_is_named(portfolio, encoding: str, name: str) -> None:
    """Found by two newcomers: a unit file saved as UTF-16 without a byte-order mark (as
    some Windows editors do) was "file contains a NUL character: is it binary?"."""
    root = portfolio({"a.yaml": (UNIT + "# Blåbær, Ærø\n").encode(encoding),
                      "b.yaml": b"\x00" + UNIT.encode()})  # a stray NUL is still one
    run = check(root)
    assert only(run, "CXP001") == [f"a.yaml:1:1 CXP001: file is encoded as {name} (without a byte-order mark)",
                                   "b.yaml:1:1 CXP001: file contains a NUL character: is it binary?"]
    assert run.result.findings[0].hint == "save it as UTF-8"


def test_byte_order_mark_is_accepted(portfolio) -> None:
    root = portfolio({"a.yaml": b"\xef\xbb\xbf" + "units:\n  - {id: a, name: Ærø}\n".encode()})
    run = check(root)
    assert brief(run) == []
    assert run.portfolio.units[0].name == "Ærø"


def test_empty_and_comment_only_files_are_fine(portfolio) -> None:
    assert brief(check(portfolio({"empty.yaml": "", "comments.yaml": "# nothing yet\n"}))) == []


def test_nan_and_inf_are_refused_as_numbers(portfolio) -> None:
    root = portfolio({"a.yaml": "units:\n  - {id: a, name: A, capacity: .inf}\n"})
    assert only(check(root), "CXP002") == [
        "a.yaml:2:32 CXP002: capacity must be a finite number, got the number .inf (unit a)"]  # as written


def test_norway_problem_words_stay_text(portfolio) -> None:
    root = portfolio({"a.yaml": "units:\n  - {id: no, name: off, description: yes}\n"
                                "  - {id: NO, name: On}\n"})
    run = check(root)
    assert brief(run) == []
    assert [(u.id, u.name, u.description) for u in run.portfolio.units] == [
        ("no", "off", "yes"), ("NO", "On", None)]


def test_dates_and_sexagesimal_stay_text(portfolio) -> None:
    root = portfolio({"a.yaml": "units:\n  - {id: a, name: 2026-05-14, description: 1:20}\n"})
    run = check(root)
    assert brief(run) == []
    assert (run.portfolio.units[0].name, run.portfolio.units[0].description) == ("2026-05-14", "1:20")


def test_boolean_id_is_never_silently_false(portfolio) -> None:
    run = check(portfolio({"a.yaml": "units:\n  - {id: False, name: A}\n"}))
    [finding] = run.result.findings
    assert finding.code == "CXP002" and "got the boolean false" in finding.message
    assert finding.hint == 'quote the value, e.g. id: "false"'


def test_sexagesimal_number_gets_a_hint(portfolio) -> None:
    run = check(portfolio({"a.yaml": "units:\n  - {id: a, name: A, capacity: 1:20}\n"}))
    [finding] = run.result.findings
    assert "capacity must be a number, got '1:20'" in finding.message
    assert "sexagesimal" in (finding.hint or "")


def test_unreadable_file_is_a_finding(portfolio, monkeypatch: pytest.MonkeyPatch) -> None:
    root = portfolio({"units/a.yaml": UNIT, "units/b.yaml": "units:\n  - {id: b, name: B}\n"})
    real_open = os.open

    def refuse(path: object, flags: int, *args: object) -> int:  # chmod 000 does not stop root
        if str(path).endswith("a.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse)
    run = check(root)
    assert brief(run) == ["units/a.yaml:1:1 CXP001: cannot read file: Permission denied"]
    assert [u.id for u in run.portfolio.units] == ["b"]  # the other file still loads


def test_file_vanishing_or_unreadable_reports_reason(tmp_path: Path) -> None:
    from cxportfolio.load.portfolio_files import read_file

    (tmp_path / "dir.yaml").mkdir()
    loaded = read_file(tmp_path, tmp_path / "dir.yaml")
    assert loaded.parsed.problems[0].message == "a folder, not a file: not read"  # not "a device, a FIFO or a socket"
    missing = read_file(tmp_path, tmp_path / "gone.yaml")
    assert missing.parsed.problems[0].message == "cannot read file: No such file or directory"


def test_hidden_folders_and_files_are_skipped(portfolio) -> None:
    root = portfolio({".github/workflows/ci.yml": "on: push\njobs: {}\n", ".pre-commit-config.yaml": "repos: []\n",
                      "units/a.yaml": UNIT})
    run = check(root)
    assert brief(run) == [] and run.portfolio.files == ["cxportfolio.yaml", "units/a.yaml"]


def test_symlink_loop_is_not_followed_forever(portfolio) -> None:
    root = portfolio({"units/a.yaml": UNIT})
    os.symlink(root, root / "units" / "loop")
    os.symlink(root / "units" / "a.yaml", root / "alias.yaml")
    run = check(root)
    assert brief(run) == []
    assert len(run.portfolio.files) == 2  # the config and one copy of a.yaml


def test_a_link_out_of_the_portfolio_or_into_a_hidden_folder_is_told_what_to_do(portfolio, tmp_path: Path) -> None:
    """A newcomer: a link to a file outside the portfolio was told "keep portfolio files
    inside the portfolio folder, not hidden"; "not hidden" is for a link into .git."""
    root = portfolio({"units/a.yaml": UNIT, ".git/b.yaml": UNIT})
    (tmp_path / "elsewhere.yaml").write_text(UNIT, encoding="utf-8")
    os.symlink(tmp_path / "elsewhere.yaml", root / "outside.yaml")
    os.symlink(root / ".git" / "b.yaml", root / "hidden.yaml")
    hints = {f.location.file: (f.message, f.hint) for f in check(root).result.findings if f.code == "CXP001"}
    assert hints == {
        "outside.yaml": ("a link to a file outside the portfolio: not read",
                         "keep portfolio files inside the portfolio folder: copy the file in rather than link to it"),
        "hidden.yaml": ("a link to a hidden file or folder (such as .git): not read",
                        "keep portfolio files in the portfolio's own folders, not in a hidden one (such as .git)")}


def test_missing_config_is_a_usage_error(tmp_path: Path) -> None:
    from cxportfolio.errors import CxpError
    from cxportfolio.load import load_files

    with pytest.raises(CxpError, match="cxportfolio.yaml is missing"):
        load_files(tmp_path)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_no_bytes_crash_the_reader(raw: bytes) -> None:
    parsed = read_yaml(raw)
    for problem in parsed.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message


def test_the_reader_keeps_how_a_number_was_written_only_where_the_number_does_not_say() -> None:
    """What a hint quotes (`tags: [0301]` is "0301", not "301") and CXP108 reads: the
    text of the plain numbers their value does not give back, by position; none of the
    usual ones (`0.7`, `42`, `-5`), nor of quoted text."""
    from cxportfolio.load.yaml_reader import unpack

    parsed = read_yaml(b'a: [0301, 1.10, 1.500, 1.125, +5, 1_000, 0.7, 42, -5, -0.3, "0301", 0]\n')
    assert {unpack(at): text for at, text in parsed.written.items()} == {
        (1, 5): "0301", (1, 11): "1.10", (1, 17): "1.500", (1, 24): "1.125", (1, 31): "+5", (1, 35): "1_000"}
    assert parsed.data["a"][:6] == [301, 1.1, 1.5, 1.125, 5, 1000]
