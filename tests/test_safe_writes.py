"""Nothing of the user's is overwritten (SECURITY.md): `init`, `report --out` and
`schema --write` never write a portfolio's own files by accident, never write through
a symbolic link (a pull request can add links to the repository), and write each file
atomically (a temporary file beside it, then os.replace).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxportfolio.cli import cli
from cxportfolio.errors import CxpError
from cxportfolio.writing import write_atomically

AS_OF = ["--as-of", "2026-06-30"]
SCAFFOLD = ["cxportfolio.yaml", "journeys.yaml", "kpis.yaml", "pain_points.yaml", "schemas",
            "schemas/config.schema.json", "schemas/portfolio.schema.json", "units", "units/customer-service.yaml"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def refused(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2 and err.startswith("cxportfolio: ") and err.count("\n") == 1, (code, err)
    assert "internal error" not in err
    for word in words:
        assert word in err, (word, err)


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def no_temporary_files(root: Path) -> None:
    assert not [p for p in root.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    assert run("init", str(root), "--year", "2026")[0] == 0
    return root


# --- init --------------------------------------------------------------------------------------

def test_init_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    target = tmp_path / "notes"
    target.mkdir()
    for name in ("todo.txt", "b.md", "c.md", "d.md"):
        (target / name).write_text("mine\n")
    code, out, err = run("init", str(target), "--year", "2026")
    refused(code, out, err, "is not empty", "b.md, c.md, d.md and 1 more", "--force")
    assert tree(target) == ["b.md", "c.md", "d.md", "todo.txt"]
    code, out, err = run("init", str(target), "--year", "2026", "--force")
    assert code == 0, err
    assert tree(target) == sorted(SCAFFOLD + ["b.md", "c.md", "d.md", "todo.txt"])
    assert (target / "todo.txt").read_text() == "mine\n"
    no_temporary_files(target)


def test_init_refuses_a_folder_inside_a_portfolio(tmp_path: Path) -> None:
    """Found by a newcomer: `init agency/units` (after `check agency/units` advised init)
    made a portfolio inside the portfolio, whose cxportfolio.yaml the outer one then read
    as a document: five unrelated errors. Refused, even with --force."""
    assert run("init", str(tmp_path / "agency"), "--year", "2026")[0] == 0
    for args in ([], ["--force"]):
        refused(*run("init", str(tmp_path / "agency" / "units"), *args), "is inside the portfolio",
                "start the new portfolio in a folder outside it")
    assert not (tmp_path / "agency" / "units" / "cxportfolio.yaml").exists()
    assert run("check", str(tmp_path / "agency"), "--as-of", "2026-06-30")[0] == 0


def test_a_folder_holding_portfolios_names_them_rather_than_advising_init(tmp_path: Path) -> None:
    """Found by a newcomer: `check scratch`, a folder holding portfolios, said "run
    `cxportfolio init`", which would start a new one around them."""
    for name in ("a", "b"):
        assert run("init", str(tmp_path / "scratch" / name), "--year", "2026")[0] == 0
    refused(*run("check", str(tmp_path / "scratch")), "the portfolios below it:", "scratch/a", "scratch/b",
            "give one as PATH")
    (tmp_path / "empty").mkdir()
    refused(*run("check", str(tmp_path / "empty")), "run `cxportfolio init` to start one")


def test_init_in_a_fresh_repository(tmp_path: Path) -> None:
    """A `.git` folder alone does not count: a new repository is where a portfolio starts."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    code, out, err = run("init", str(tmp_path / "repo"), "--year", "2026")
    assert code == 0, err
    code, out, err = run("check", str(tmp_path / "repo"), *AS_OF)
    assert code == 0, out


def test_init_names_an_existing_portfolio(portfolio: Path) -> None:
    code, out, err = run("init", str(portfolio))
    refused(code, out, err, "already holds a portfolio", "cxportfolio.yaml", f"`cxportfolio check {portfolio}` checks it")
    assert "--force" not in err


@pytest.mark.parametrize("name, said", [("my portfolio", "'my portfolio'"), ("-p", "./-p")])
def test_init_names_an_existing_portfolio_as_a_command_to_paste(tmp_path: Path, monkeypatch, name: str,
                                                                  said: str) -> None:
    """Found in review: `init "my portfolio"` where a portfolio is was told `cxportfolio
    check my portfolio checks it`, two arguments when pasted (and `-p` an option): the
    folder is one argument, as the "Next:" line after init writes it."""
    monkeypatch.chdir(tmp_path)
    assert run("init", "--year", "2026", "--", name)[0] == 0
    code, out, err = run("init", "--", name)
    refused(code, out, err, f"`cxportfolio check {said}` checks it")


def test_init_with_force_replaces_no_file_of_other_content(portfolio: Path) -> None:
    """Found by a newcomer: `init .` in a portfolio said "use --force to overwrite its
    files", and --force replaced the owner's cxportfolio.yaml, journeys.yaml and unit file
    with the scaffold's. Refused before anything is written, naming what is in the way."""
    for name in ("cxportfolio.yaml", "journeys.yaml"):  # the owner's since
        (portfolio / name).write_text((portfolio / name).read_text() + "# ours\n")
    before = {path: path.read_bytes() for path in portfolio.rglob("*") if path.is_file()}
    code, out, err = run("init", str(portfolio), "--year", "2026", "--force")
    refused(code, out, err, "init replaces no file, even with --force", "cxportfolio.yaml and journeys.yaml exist",
            "move them aside, or start the portfolio in an empty folder")
    assert {path: path.read_bytes() for path in portfolio.rglob("*") if path.is_file()} == before
    no_temporary_files(portfolio)


def test_init_with_force_writes_again_what_it_wrote(tmp_path: Path) -> None:
    """Its own files, unchanged, are no user's content: --force writes beside them again."""
    target = tmp_path / "p"
    assert run("init", str(target), "--year", "2026")[0] == 0
    (target / "notes.txt").write_text("mine\n")
    code, out, err = run("init", str(target), "--year", "2026", "--force")
    assert code == 0, err
    assert (target / "notes.txt").read_text() == "mine\n"


@pytest.mark.parametrize("link", ["journeys.yaml", "units", "schemas", "units/customer-service.yaml",
                                  "schemas/config.schema.json"])
def test_init_never_writes_through_a_link_even_with_force(link: str, tmp_path: Path) -> None:
    target = tmp_path / "new"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.yaml").write_text("precious\n")
    (target / Path(link).parent).mkdir(parents=True, exist_ok=True)
    is_folder = "." not in Path(link).name
    os.symlink(outside if is_folder else outside / "precious.yaml", target / link)
    before = tree(target)
    code, out, err = run("init", str(target), "--year", "2026", "--force")
    refused(code, out, err, "symbolic link")
    assert tree(outside) == ["precious.yaml"] and (outside / "precious.yaml").read_text() == "precious\n"
    assert tree(target) == before  # refused before anything was written


def test_init_into_a_directory_that_is_a_link(tmp_path: Path) -> None:
    """The directory itself is what the user named: a link to it is followed."""
    real = tmp_path / "real"
    real.mkdir()
    os.symlink(real, tmp_path / "named")
    code, out, err = run("init", str(tmp_path / "named"), "--year", "2026")
    assert code == 0, err
    assert tree(real) == SCAFFOLD


def test_init_year_is_bounded(tmp_path: Path) -> None:
    code, out, err = run("init", str(tmp_path / "x"), "--year", "1900")
    assert code == 2 and not (tmp_path / "x").exists()  # its KPI baseline would be 1899
    assert run("init", str(tmp_path / "y"), "--year", "2999")[0] == 0
    assert run("check", str(tmp_path / "y"), "--as-of", "2999-06-30")[0] == 0


# --- report --out ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["cxportfolio.yaml", "journeys.yaml", "units/customer-service.yaml",
                                  "units/new.yml", "report.YAML"])
def test_report_never_writes_a_portfolio_file(name: str, portfolio: Path) -> None:
    before = {p: p.read_bytes() for p in portfolio.rglob("*") if p.is_file()}
    code, out, err = run("report", str(portfolio), *AS_OF, "--out", str(portfolio / name))
    refused(code, out, err, "lies in the portfolio")
    assert {p: p.read_bytes() for p in portfolio.rglob("*") if p.is_file()} == before


def test_report_refusing_its_out_says_only_that(portfolio: Path) -> None:
    """A refused --out is the one line, not after a note on what the figures leave out:
    exit 2 with one line, whatever the portfolio's own mistakes."""
    journeys = portfolio / "journeys.yaml"
    journeys.write_text(journeys.read_text().replace("volume: 10000", "volume: lots"))
    assert "leave out 1 journey" in run("report", str(portfolio), *AS_OF)[2]  # the note a report gets
    code, out, err = run("report", str(portfolio), *AS_OF, "--out", str(portfolio / "journeys.yaml"))
    refused(code, out, err, "lies in the portfolio")


def test_report_failing_to_write_says_only_that(portfolio: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails (a full disk) is the one line on exit 2, not after the note on
    what the figures leave out; written, the note follows."""
    journeys = portfolio / "journeys.yaml"
    journeys.write_text(journeys.read_text().replace("volume: 10000", "volume: lots"))
    out_file = tmp_path / "q3.md"
    code, out, err = run("report", str(portfolio), *AS_OF, "--out", str(out_file))
    assert code == 0 and out == f"wrote {out_file}\n" and "leave out 1 journey" in err, err
    out_file.unlink()

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    code, out, err = run("report", str(portfolio), *AS_OF, "--out", str(out_file))
    refused(code, out, err, "cannot write: No space left on device")
    assert not out_file.exists()
    no_temporary_files(tmp_path)


def test_report_replaces_an_earlier_report(portfolio: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "q3.md"
    assert run("report", str(portfolio), "--as-of", "2026-03-31", "--out", str(out_file))[0] == 0
    last_quarter = out_file.read_text()
    out_file.chmod(0o640)
    code, out, err = run("report", str(portfolio), *AS_OF, "--out", str(out_file))
    assert code == 0 and out == f"wrote {out_file}\n", err
    assert out_file.read_text() != last_quarter and stat.S_IMODE(out_file.stat().st_mode) == 0o640
    inside = portfolio / "q3.html"  # a report kept beside the portfolio's files is no document
    assert run("report", str(portfolio), *AS_OF, "--format", "html", "--out", str(inside))[0] == 0
    assert run("report", str(portfolio), *AS_OF, "--format", "html", "--out", str(inside))[0] == 0
    assert run("check", str(portfolio), *AS_OF)[0] == 0
    no_temporary_files(tmp_path)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "gitlab", "junit", "github", "markdown", "html"])
def test_only_an_earlier_output_of_the_format_is_replaced(fmt: str, portfolio: Path, tmp_path: Path) -> None:
    """Found by a trust review: `check --output json=README.md` replaced the portfolio's
    README. A file is replaced only when it is empty or an earlier output of the same
    format, recognised by how it begins; anything else of the user's is refused."""
    def write(target: Path, as_of: str = "2026-06-30") -> tuple[int, str, str]:
        if fmt in ("markdown", "html"):
            return run("report", str(portfolio), "--as-of", as_of, "--format", fmt, "--out", str(target))
        return run("check", str(portfolio), "--as-of", as_of, "--output", f"{fmt}={target}", "--format", "json")

    readme = portfolio / "README.md"
    readme.write_text("# Our portfolio\n\nHow we work.\n")
    refused(*write(readme), "README.md: exists and is not an earlier", "refusing to replace it")
    assert readme.read_text() == "# Our portfolio\n\nHow we work.\n"
    earlier = portfolio / f"earlier.{fmt}"
    for as_of in ("2026-03-31", "2026-06-30"):  # written, then replaced by the next run
        code, _, err = write(earlier, as_of)
        assert code in (0, 1), err
    empty = tmp_path / "empty"
    empty.write_text("")
    assert write(empty)[0] in (0, 1) and empty.stat().st_size > 0
    other = "json" if fmt != "json" else "sarif"  # an output, but of another format
    elsewhere = tmp_path / "other"
    assert run("check", str(portfolio), *AS_OF, "--output", f"{other}={elsewhere}")[0] in (0, 1)
    refused(*write(elsewhere), "is not an earlier")


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_notes_that_begin_like_a_summary_are_not_an_earlier_output(fmt: str, portfolio: Path, tmp_path: Path) -> None:
    """Found by a hostile pull request: a notes file beginning "Checked 3 things" passed
    for an earlier text or github output (they began `Checked \\d`) and was replaced."""
    notes = tmp_path / "notes.txt"
    notes.write_text("Checked 3 things with the team.\n")
    refused(*run("check", str(portfolio), *AS_OF, "--output", f"{fmt}={notes}"), "is not an earlier")
    assert notes.read_text() == "Checked 3 things with the team.\n"


def test_schema_write_never_replaces_a_users_file(tmp_path: Path) -> None:
    """Found by a hostile pull request: `schema --write DIR` replaced any file of the
    schemas' names there. Only a schema cxportfolio wrote is replaced."""
    folder = tmp_path / "schemas"
    folder.mkdir()
    mine = folder / "portfolio.schema.json"
    mine.write_text("USER CONTENT\n")
    refused(*run("schema", "--write", str(folder)), "is not a schema cxportfolio wrote")
    assert mine.read_text() == "USER CONTENT\n" and not (folder / "config.schema.json").exists()
    mine.unlink()
    for _ in range(2):  # written, then replaced
        assert run("schema", "--write", str(folder))[0] == 0
    assert mine.read_text().startswith("{")


def test_report_never_writes_through_a_link(portfolio: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = portfolio / "cxportfolio.yaml"
    before = config.read_text()
    os.symlink(config, tmp_path / "report.md")  # what a pull request can commit
    code, out, err = run("report", str(portfolio), *AS_OF, "--out", "report.md")
    refused(code, out, err, "report.md: is a symbolic link")
    assert config.read_text() == before and (tmp_path / "report.md").is_symlink()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "reports")
    code, out, err = run("report", str(portfolio), *AS_OF, "--out", "reports/q3.md")
    refused(code, out, err, "goes through a symbolic link (reports)")
    assert list((tmp_path / "elsewhere").iterdir()) == []
    # `..` is resolved as written, never through the link:
    code, out, err = run("report", str(portfolio), *AS_OF, "--out", "reports/../q3.md")
    assert code == 0, err
    assert (tmp_path / "q3.md").is_file() and list((tmp_path / "elsewhere").iterdir()) == []
    assert not (tmp_path.parent / "q3.md").exists()


def test_report_to_a_folder_or_a_fifo_is_refused(portfolio: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    code, out, err = run("report", str(portfolio), *AS_OF, "--out", str(fifo))
    refused(code, out, err, "not a regular file")


# --- schema --write -------------------------------------------------------------------------------

def test_schema_write_replaces_its_own_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("schema", "--write", "schemas")[0] == 0
    first = (tmp_path / "schemas" / "config.schema.json").read_text()
    assert run("schema", "--write", "schemas")[0] == 0
    assert (tmp_path / "schemas" / "config.schema.json").read_text() == first
    assert tree(tmp_path / "schemas") == ["config.schema.json", "portfolio.schema.json"]


def test_schema_write_to_an_empty_path_is_refused(tmp_path: Path, monkeypatch) -> None:
    """Found by a user: `schema --write ''` (a variable left unset) wrote both schemas into
    the current folder, as click reads '' as '.'. It is refused, saying what to give."""
    monkeypatch.chdir(tmp_path)
    refused(*run("schema", "--write", ""), "--write '' names no folder", "schemas/")
    assert tree(tmp_path) == []
    assert run("schema", "--write", ".")[0] == 0  # the current folder, when named
    assert tree(tmp_path) == ["config.schema.json", "portfolio.schema.json"]


def test_schema_write_never_writes_through_a_link(portfolio: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = portfolio / "cxportfolio.yaml"
    before = config.read_text()
    (tmp_path / "schemas").mkdir()
    os.symlink(config, tmp_path / "schemas" / "config.schema.json")
    code, out, err = run("schema", "--write", "schemas")
    refused(code, out, err, "config.schema.json: is a symbolic link")
    assert config.read_text() == before and tree(tmp_path / "schemas") == ["config.schema.json"]
    os.symlink(portfolio, tmp_path / "linked")
    code, out, err = run("schema", "--write", "linked/schemas")
    refused(code, out, err, "symbolic link (linked)")
    code, out, err = run("schema", "--write", "linked")
    refused(code, out, err, "symbolic link")
    assert config.read_text() == before


# --- atomic writes -------------------------------------------------------------------------------

def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "report.md"
    target.write_text("the old report\n")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(CxpError, match="report.md: cannot write: No space left on device"):
        write_atomically(target, "the new report\n")
    assert target.read_text() == "the old report\n"
    assert tree(tmp_path) == ["report.md"]


def test_new_files_get_the_umask_permissions(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomically(tmp_path / "r.md", "x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.md").stat().st_mode) == 0o640


def test_colored_text_and_an_html_report_of_an_earlier_version_are_earlier_outputs(portfolio: Path,
                                                                                   tmp_path: Path) -> None:
    """Found by a review: text saved from `--color always` was refused as not a text
    output, and an HTML report written before reports named their generator too."""
    colored = tmp_path / "out.txt"
    code, out, _ = run("check", str(portfolio), *AS_OF, "--color", "always")
    colored.write_text(out if "\x1b[" in out else "\x1b[1mChecked 5 files, 1 initiative: no findings.\x1b[0m\n")
    assert run("check", str(portfolio), *AS_OF, "--output", f"text={colored}")[0] in (0, 1)
    earlier = tmp_path / "q3.html"
    code, html, _ = run("report", str(portfolio), *AS_OF, "--format", "html")
    body = html[:html.rindex("<!-- cxportfolio sha256:")]  # reports had no seal then
    earlier.write_text(body.replace('<meta name="generator" content="cxportfolio', '<meta name="x" content="'))
    # a report without a seal may have been annotated since: refused once, with what to do
    refused(*run("report", str(portfolio), *AS_OF, "--format", "html", "--out", str(earlier)),
            f"{earlier}: is a report without a seal", "remove it, or choose another --out")
    earlier.unlink()
    assert run("report", str(portfolio), *AS_OF, "--format", "html", "--out", str(earlier))[0] == 0
    assert run("report", str(portfolio), *AS_OF, "--format", "html", "--out", str(earlier))[0] == 0


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_report_edited_since_it_was_written_is_never_replaced(fmt: str, portfolio: Path, tmp_path: Path) -> None:
    """Found by a tester: re-running `report --out q3.md` replaced a report the user had
    annotated since (it still began like a report). A report ends with a seal, the SHA-256
    of everything above it: replaced only while the two match."""
    target = tmp_path / f"q3.{fmt}"
    args = ("report", str(portfolio), *AS_OF, "--format", fmt, "--out", str(target))
    assert run(*args)[0] == 0
    written = target.read_bytes()
    assert re.search(rb"\n\n<!-- cxportfolio sha256:[0-9a-f]{64} -->\n\Z", written)
    assert run(*args)[0] == 0 and target.read_bytes() == written  # same input, same bytes: replaced
    assert run("report", str(portfolio), *AS_OF, "--format", fmt)[1].encode() == written  # stdout too
    annotated = written.replace(b"\n", b"\nOur note: fund CS-001 first.\n", 1)
    target.write_bytes(annotated)
    refused(*run(*args), f"{target}: was changed since cxportfolio wrote it", "remove it, or choose another --out")
    assert target.read_bytes() == annotated
    target.write_bytes(written[:written.rindex(b"<!--")] + b"<!-- cxportfolio sha256:" + b"0" * 64 + b" -->\n")
    refused(*run(*args), "was changed since")
    target.write_bytes(written.rstrip(b"\n"))  # an editor that drops the last newline changes nothing
    assert run(*args)[0] == 0 and target.read_bytes() == written
    # a newcomer: a trim-trailing-whitespace hook (the reports have lines ending in a space),
    # and blank lines after the seal, edit nothing of the user's: replaced
    trimmed = b"\n".join(line.rstrip(b" \t") for line in written.split(b"\n")) + b"\n\n"
    assert trimmed != written + b"\n"
    target.write_bytes(trimmed)
    assert run(*args)[0] == 0 and target.read_bytes() == written
    # a sealed report as written, of the other format (`--out q3.html` without --format html
    # wrote Markdown, a newcomer found): nothing of the user's in it, replaced
    other = "html" if fmt == "markdown" else "markdown"
    assert run("report", str(portfolio), *AS_OF, "--format", other, "--out", str(target))[0] == 0
    assert target.read_bytes() != written
    target.write_bytes(b"# My own notes\n")  # a file of the user's is not
    refused(*run(*args), f"is not an earlier {fmt} output")


# --- what --out and --output name -----------------------------------------------------------------

def test_a_folder_is_no_file_to_write(portfolio: Path, tmp_path: Path, monkeypatch) -> None:
    """Found by a tester: `report --out newdir/` wrote a file named `newdir`, and a file on
    the way (`mine.txt/q3.md`) read as a failed write."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exist").mkdir()
    (tmp_path / "mine.txt").write_text("mine\n")
    for out in ("newdir/", "exist", "exist/"):
        refused(*run("report", str(portfolio), *AS_OF, "--format", "html", "--out", out),
                f"{out}: is a folder; give a file name such as {out.rstrip('/')}/report.html")
        refused(*run("check", str(portfolio), *AS_OF, "--output", f"sarif={out}"),
                f"{out}: is a folder; give a file name such as {out.rstrip('/')}/cxportfolio.sarif")
    refused(*run("report", str(portfolio), *AS_OF, "--out", "mine.txt/q3.md"), "mine.txt is a file, not a folder")
    refused(*run("check", str(portfolio), *AS_OF, "--output", "json=mine.txt/a/x.json"),
            "mine.txt is a file, not a folder")
    assert sorted(os.listdir(tmp_path)) == ["exist", "mine.txt", "p"] and os.listdir("exist") == []


def test_dash_is_standard_output_and_an_empty_name_is_named(portfolio: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("report", str(portfolio), *AS_OF, "--out", "-")
    assert code == 0 and out == run("report", str(portfolio), *AS_OF)[1] and out.startswith("# "), err
    refused(*run("report", str(portfolio), *AS_OF, "--out", ""), "--out '' names no file")
    refused(*run("check", str(portfolio), *AS_OF, "--output", "json=-"), "standard output is what --format is for")
    refused(*run("check", str(portfolio), *AS_OF, "--output", "json="), "'json=' names no file")
    assert sorted(os.listdir(tmp_path)) == ["p"]


def test_a_removed_current_folder(portfolio: Path, tmp_path: Path, monkeypatch) -> None:
    """Found by a tester: run from a folder removed since (`cd x; rm -r ../x`), every
    command said "internal error": os.getcwd() raises. An absolute path works; a relative
    one gets one line saying what to do."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    (portfolio / "kpis.yaml").write_text((portfolio / "kpis.yaml").read_text() + "  - id: broken\n")
    code, out, err = run("check", str(portfolio), *AS_OF)
    assert code == 1 and f"{portfolio}/kpis.yaml:" in out, err  # paths absolute, as there is no "here"
    assert run("rank", str(portfolio), *AS_OF)[0] == 0
    report = tmp_path / "q3.md"
    assert run("report", str(portfolio), *AS_OF, "--out", str(report))[0] == 0 and report.is_file()
    assert run("check", str(portfolio), *AS_OF, "--output", f"json={tmp_path / 'x.json'}")[0] == 1
    assert run("schema", "--write", str(tmp_path / "schemas"))[0] == 0
    assert run("init", str(tmp_path / "new"))[0] == 0
    for args in (["check", "."], ["check"], ["report", str(portfolio), "--out", "q3.md"], ["schema", "--write", "s"],
                 ["init", "new"], ["check", str(portfolio), "--output", "json=x.json"]):
        refused(*run(*args), "the current folder no longer exists; cd to an existing folder or give an absolute path")



@pytest.mark.parametrize("args", [["check", "p"], ["rank", "missing"], ["diff", "--base-dir", "old", "--head-dir", "new"],
                                  ["check", "{portfolio}", "--baseline-file", "base.json"]])
def test_a_relative_path_named_in_a_removed_current_folder(args: list[str], portfolio: Path, tmp_path: Path,
                                                           monkeypatch) -> None:
    """A relative PATH, --base-dir or --baseline-file in a removed folder said "p: no such
    file or directory", as if a typo: it is the folder that is gone."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    refused(*run(*(a.format(portfolio=portfolio) for a in args), *AS_OF),
            "the current folder no longer exists; cd to an existing folder or give an absolute path")


def _full_disk_after(writes: int, monkeypatch) -> None:
    """os.fdopen's file fails its write once `writes` files are written: a disk filling up."""
    real = os.fdopen
    calls = []

    def fdopen(fd: int, *args, **kwargs):
        handle = real(fd, *args, **kwargs)
        calls.append(fd)
        if len(calls) > writes:
            def write(_: str) -> int:
                raise OSError(28, "No space left on device")
            handle.write = write
        return handle

    monkeypatch.setattr(os, "fdopen", fdopen)


@pytest.mark.parametrize("writes", [0, 3, 6])
def test_init_and_schema_write_are_all_or_nothing(writes: int, tmp_path: Path, monkeypatch) -> None:
    """Found by a tester: `init` on a full disk left half a portfolio (some files written,
    the rest not), and `schema --write` one schema of two. Every file is written beside
    its place first; one failing leaves nothing: no file, no temporary file, no folder."""
    _full_disk_after(writes, monkeypatch)
    refused(*run("init", str(tmp_path / "new"), "--year", "2026"), "cannot write: No space left on device")
    assert tree(tmp_path) == []
    (tmp_path / "repo" / ".git").mkdir(parents=True)  # a folder that was there stays, as it was
    refused(*run("init", str(tmp_path / "repo"), "--year", "2026"), "No space left on device")
    assert tree(tmp_path) == ["repo", "repo/.git"]
    if writes < 2:
        refused(*run("schema", "--write", str(tmp_path / "a" / "schemas")), "No space left on device")
        assert tree(tmp_path) == ["repo", "repo/.git"]
    monkeypatch.undo()
    assert run("init", str(tmp_path / "new"), "--year", "2026")[0] == 0
    assert tree(tmp_path / "new") == SCAFFOLD


def test_a_failed_move_into_place_removes_the_new_files(tmp_path: Path, monkeypatch) -> None:
    real, moves = os.replace, []

    def replace(source: str, target: str) -> None:
        moves.append(target)
        if len(moves) == 4:
            raise OSError(5, "Input/output error")
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    refused(*run("init", str(tmp_path / "new"), "--year", "2026"), "cannot write: Input/output error")
    assert tree(tmp_path) == []


def test_the_next_command_init_suggests_is_one_a_shell_runs(tmp_path: Path, monkeypatch) -> None:
    """Found by a tester: `Next: … run `cxportfolio check my portfolio`` ran on two folders."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("init", "my team's portfolio")
    assert code == 0 and out.endswith("run `cxportfolio check 'my team'\"'\"'s portfolio'`.\n"), out


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_report_whose_line_endings_a_checkout_changed_is_still_replaced(fmt: str, portfolio: Path,
                                                                          tmp_path: Path) -> None:
    """A report committed to git and checked out on Windows (core.autocrlf) has CRLF line
    endings: nothing of the user's, yet its seal no longer matched and every later run was
    refused. The seal is checked with the line endings as written, or as LF."""
    target = tmp_path / f"weekly.{'md' if fmt == 'markdown' else 'html'}"
    args = ("report", str(portfolio), *AS_OF, "--format", fmt, "--out", str(target))
    assert run(*args)[0] == 0
    written = target.read_bytes()
    target.write_bytes(written.replace(b"\n", b"\r\n"))
    code, out, err = run(*args)
    assert code == 0, err
    assert target.read_bytes() == written
    edited = written.replace(b"\n", b"\r\n").replace(b"\r\n\r\n", b"\r\n\r\nOur note.\r\n\r\n", 2)
    target.write_bytes(edited)
    refused(*run(*args), "was changed since cxportfolio wrote it")
    assert target.read_bytes() == edited


def test_a_suggested_path_beginning_with_a_dash_is_no_option(tmp_path: Path, monkeypatch) -> None:
    """`init -- -p` advised `cxportfolio check -p`, which a shell passes as an option."""
    import shlex

    monkeypatch.chdir(tmp_path)
    code, out, err = run("init", "--year", "2026", "--", "-p")
    assert code == 0, err
    command = out.splitlines()[-1].split("`")[1]
    assert command == "cxportfolio check ./-p"
    assert run(*shlex.split(command)[1:], *AS_OF)[0] == 0
    (tmp_path / "-p" / "kpis.yaml").write_text("kpis: [\n")
    code, out, err = run("rank", "./-p", *AS_OF)
    assert code == 0 and "run `cxportfolio check ./-p --as-of 2026-06-30`" in err, err


def test_a_folder_that_cannot_be_made_leaves_none_of_those_made_before(tmp_path: Path, monkeypatch) -> None:
    """mkdir(parents=True) makes `new`, then `new/deeper`, then fails on `p` (a full disk):
    init left the two empty folders behind."""
    made = Path.mkdir  # (Path's own: under Python 3.10 it does not call os.mkdir as looked up then)

    def mkdir(self: Path, mode: int = 0o777, parents: bool = False, exist_ok: bool = False) -> None:
        if self.name == "p" and self.parent.is_dir():  # once `new/deeper` is made
            raise OSError(28, "No space left on device")
        made(self, mode, parents, exist_ok)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    refused(*run("init", str(tmp_path / "new" / "deeper" / "p"), "--year", "2026"), "cannot create the folder")
    assert tree(tmp_path) == []


def test_init_below_a_file_names_the_file(tmp_path: Path, monkeypatch) -> None:
    """`init mine.txt/p` said "cannot read the directory: Not a directory"."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.txt").write_text("mine\n")
    refused(*run("init", "mine.txt/p", "--year", "2026"), "mine.txt/p: mine.txt is a file, not a folder")
    assert (tmp_path / "mine.txt").read_text() == "mine\n"


def test_report_into_a_missing_folder_names_it(portfolio: Path, tmp_path: Path, monkeypatch) -> None:
    """`report --out nowhere/r.md` said "/abs/nowhere/r.md: cannot write: No such file or
    directory"; check --output names the folder, and so does report."""
    monkeypatch.chdir(tmp_path)
    refused(*run("report", str(portfolio), *AS_OF, "--out", "nowhere/r.md"),
            "--out nowhere/r.md: the folder nowhere does not exist; create it first (mkdir -p nowhere)")
    assert not (tmp_path / "nowhere").exists()


def test_report_out_html_is_the_html_page(portfolio: Path, tmp_path: Path) -> None:
    """Found by a newcomer: `report --out q3.html` without `--format html` wrote Markdown
    into q3.html. The format follows the file's extension unless --format says otherwise."""
    for name, begins in (("q3.html", b"<!DOCTYPE html>"), ("q3.HTM", b"<!DOCTYPE html>"), ("q3.md", b"# "),
                         ("q3.txt", b"# ")):
        assert run("report", str(portfolio), *AS_OF, "--out", str(tmp_path / name))[0] == 0
        assert (tmp_path / name).read_bytes().startswith(begins), name
    assert run("report", str(portfolio), *AS_OF, "--format", "markdown", "--out", str(tmp_path / "q3.html"))[0] == 0
    assert (tmp_path / "q3.html").read_bytes().startswith(b"# ")  # as asked


def test_dev_stdout_is_not_said_to_be_a_link_to_remove(portfolio: Path) -> None:
    """Found by a newcomer: `--out /dev/stdout` was told to "remove the link first"."""
    if not os.path.islink("/dev/stdout"):
        pytest.skip("no /dev/stdout link here")
    refused(*run("report", str(portfolio), *AS_OF, "--out", "/dev/stdout"),
            "leave the option out to write to standard output")
