"""End to end: the click commands through CliRunner, and the real executable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cxportfolio import __version__
from cxportfolio.cli import CHECK_FORMATS, cli
from cxportfolio.render import CHECK_RENDERERS

AS_OF = ["--as-of", "2026-06-30"]
BROKEN_UNIT = """\
unit: digital
units:
  - {id: digital, name: Digital, capacity: 10}
initiatives:
  - id: DIG-1
    title: Status tracker
    status: in_progress
    effort: lots
  - id: DIG-2
    title: Chat
    status: idea
    depends_on: [DIG-3]
    addresses: [PP-long-form]
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_format_choices_are_the_renderers() -> None:
    assert set(CHECK_FORMATS) == set(CHECK_RENDERERS)


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out
    code, out, _ = run("--help")
    assert code == 0 and "check" in out and "Exit codes" in out


def test_init_scaffold_passes_check(tmp_path: Path) -> None:
    target = tmp_path / "new"
    code, out, _ = run("init", str(target), "--year", "2026", "--organization", "Ærø Kommune")
    assert code == 0 and "cxportfolio check" in out
    code, out, _ = run("check", str(target), *AS_OF)
    assert (code, out) == (0, "Checked 5 files, 1 initiative: no findings.\n")


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    run("init", str(tmp_path), "--year", "2026")
    code, _, err = run("init", str(tmp_path))
    assert code == 2 and "already holds a portfolio" in err and err.count("\n") == 1


def test_check_missing_path_is_exit_2_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    code, out, err = run("check", str(missing))
    assert (code, out) == (2, "")
    assert err == f"cxportfolio: {missing}: no such file or directory\n"


def test_check_errors_exit_1_with_located_messages(tmp_path: Path) -> None:
    run("init", str(tmp_path), "--year", "2026")
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), *AS_OF)
    assert code == 1
    assert "units/digital.yaml:8:13: CXP002 [error] effort must be a number, got 'lots' (initiative DIG-1)" in out
    assert "units/digital.yaml:12:18: CXP102 [error] depends_on[0] names unknown initiative 'DIG-3'" in out
    # DIG-1 keeps its valid fields, so the rules that do not need `effort` still see it.
    assert "units/digital.yaml:5:9: CXP401 [warning] DIG-1 addresses no pain point" in out
    assert out.endswith("Checked 6 files, 3 initiatives: 2 errors, 1 warning, 0 infos.\n")


def test_check_json_has_the_contract_shape(tmp_path: Path) -> None:
    run("init", str(tmp_path), "--year", "2026")
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), "--format", "json", *AS_OF)
    document = json.loads(out)
    assert code == 1 and document["version"] == 1
    assert {k: document["summary"][k] for k in ("errors", "warnings", "infos", "files", "initiatives")} == {
        "errors": 2, "warnings": 1, "infos": 0, "files": 6, "initiatives": 3}
    first = next(f for f in document["findings"] if f["code"] == "CXP002")
    assert {k: first[k] for k in ("code", "rule", "severity", "file", "line", "column", "entities")} == {
        "code": "CXP002", "rule": "schema", "severity": "error", "file": "units/digital.yaml",
        "line": 8, "column": 13, "entities": ["DIG-1"]}
    assert first["related"] == []


def test_select_ignore_and_rule_severity(tmp_path: Path) -> None:
    run("init", str(tmp_path), "--year", "2026")
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), "--select", "CXP1", *AS_OF)
    assert code == 1 and "CXP102" in out and "CXP002" not in out
    code, out, _ = run("check", str(tmp_path), "--ignore", "CXP002,CXP102,CXP401", *AS_OF)
    assert code == 0 and "no findings" in out
    config = tmp_path / "cxportfolio.yaml"
    clean = config.read_text()
    config.write_text(clean.replace("rules: {}", "rules: {CXP102: warning, CXP002: warning, CXP401: 'off'}"))
    code, out, _ = run("check", str(tmp_path), *AS_OF)
    assert code == 0 and "CXP102 [warning]" in out and "CXP002 [warning]" in out and "CXP401" not in out
    code, _, _ = run("check", str(tmp_path), "--strict", *AS_OF)
    assert code == 1
    # Syntax, schema and id checks cannot be switched off from a pull request (SPEC §9).
    config.write_text(clean.replace("rules: {}", "rules: {CXP002: 'off', CXP001: 'off', CXP101: 'off'}"))
    code, out, _ = run("check", str(tmp_path), *AS_OF)
    assert code == 1 and "effort must be a number" in out
    assert out.count("cannot be switched off") == 3


def test_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path), "--as-of", "30.06.2026")
    assert code == 2 and "YYYY-MM-DD" in err


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    run("init", str(tmp_path), "--year", "2026")
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    outputs = {run("check", str(tmp_path), "--format", fmt, *AS_OF)[1] for fmt in ["json"] * 3}
    assert len(outputs) == 1


def test_real_executable_in_a_subprocess(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "cxportfolio", "init", str(tmp_path), "--year", "2026"],
                   check=True, capture_output=True)
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT + "  - {id: DIG-4, title: [x\n",
                                                     encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cxportfolio", "check", str(tmp_path), *AS_OF],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "units/digital.yaml:15:" in done.stdout and "CXP001" in done.stdout


def test_internal_failure_is_one_line_exit_2(tmp_path: Path, monkeypatch) -> None:
    import cxportfolio.engine as engine

    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(engine, "run_check", explode)
    code, _, err = run("check", str(tmp_path))
    assert code == 2 and err == "cxportfolio: internal error: RuntimeError: boom second line (please report this)\n"
