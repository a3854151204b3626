"""The benchmark harness and its generator still run (a smoke run, not a timed test)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import check

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))
from generate import generate  # noqa: E402


def test_generator_is_deterministic_and_referentially_valid(tmp_path: Path) -> None:
    counts = generate(tmp_path / "a", 300, units=7, seed=3)
    generate(tmp_path / "b", 300, units=7, seed=3)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    run = check(tmp_path / "a", dt.date(2026, 11, 24))  # completed dates run to October
    assert run.result.summary.errors == 0 and run.result.summary.initiatives == counts["initiatives"] == 300
    assert run.result.summary.files == 7 + 4  # units, and config, journeys, KPIs, pain points
    assert any(f.code == "CXP201" for f in run.result.findings)  # the planted near-duplicates


def test_check_jsonschema_is_given_the_files_check_reads(tmp_path: Path) -> None:
    from bench_check import schema_files

    generate(tmp_path, 60, units=4, seed=2)
    run = check(tmp_path, dt.date(2026, 11, 24))
    given = sorted(Path(f).relative_to(tmp_path).as_posix() for f in schema_files(tmp_path))
    assert given == sorted(f for f in run.result.files if f != "cxportfolio.yaml")
    assert {"journeys.yaml", "kpis.yaml", "pain_points.yaml"} <= set(given)
    reference = Path(sys.executable).with_name("check-jsonschema")
    if reference.exists():  # the bench extra: every file given is one the schema describes
        schema = BENCH.parent / "schemas" / "portfolio.schema.json"
        done = subprocess.run([str(reference), "--schemafile", str(schema), *schema_files(tmp_path)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_run_counts_only_when_it_did_the_work_asked() -> None:
    from bench_check import timed

    said = "import sys; sys.stderr.write('x' * 200_000 + ' the last line'); sys.exit({})"
    wall, peak = timed([sys.executable, "-c", said.format(1)], findings_exit=True)  # findings
    assert wall > 0 and peak > 0  # and 200 kB on stderr, more than a pipe holds, did not stall it
    with pytest.raises(SystemExit, match="exit code 1: .*the last line"):  # the reference refused a file
        timed([sys.executable, "-c", said.format(1)], findings_exit=False)
    with pytest.raises(SystemExit, match="exit code 2"):
        timed([sys.executable, "-c", said.format(2)], findings_exit=True)


def test_benchmark_quick_run_reports_figures() -> None:
    done = subprocess.run([sys.executable, str(BENCH / "bench_check.py"), "--quick", "--json"],
                          capture_output=True, text=True, check=True)
    summary = json.loads(done.stdout)
    results = summary["results"]
    assert [r["initiatives"] for r in results] == [50, 200]
    assert summary["calibration_s"] > 0 and summary["yaml_yardstick_mb_s"] > 0
    assert all(r["cxportfolio"]["median_s"] > 0 and r["cxportfolio"]["peak_mib"] > 0 for r in results)
    for r in results:  # with check-jsonschema (the bench extra), the floor is timed beside it
        if "check_jsonschema" in r:
            assert r["floor"]["median_s"] > 0
            assert r["floor_ratio"] == r["floor"]["median_s"] / r["check_jsonschema"]["median_s"]


def test_language_server_benchmark_runs_and_reports_its_figures() -> None:
    pytest.importorskip("pygls")
    done = subprocess.run([sys.executable, str(BENCH / "bench_lsp.py"), "--initiatives", "60", "--edits", "5"],
                          capture_output=True, text=True, check=True)
    assert re.search(r"after an effort is typed \(5 edits\): median \d+ ms", done.stdout)
    assert re.search(r"after a title's last letter is replaced \(1 edits\): median \d+ ms", done.stdout)
    assert re.search(r"after a letter of a new word is typed in a title \(1 edits\): median \d+ ms", done.stdout)
    assert re.search(r"resident memory \(MiB\) after edit n: 1: \d+", done.stdout)
