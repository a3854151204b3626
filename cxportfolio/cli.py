"""The `cxportfolio` command line: thin click commands over the engine and renderers.

Heavy modules are imported inside the commands so that `--help` and `--version` start fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cxportfolio import __version__
from cxportfolio.errors import CxpError

if TYPE_CHECKING:
    from cxportfolio.engine import CheckRun, Selection

CHECK_FORMATS = ("text", "json", "github", "sarif", "gitlab", "junit")  # = CHECK_RENDERERS (tested)


class _Cli(click.Group):
    """Turns every failure into exit 2 and one line on stderr, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from cxportfolio.memory import paused_gc

        try:
            with paused_gc():  # rendering a large run too: restored when the command ends
                return super().invoke(ctx)
        except CxpError as err:
            _fail(str(err))
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _fail("interrupted")
        except RecursionError:
            _fail("internal error: input nested too deeply")
        except Exception as err:  # noqa: BLE001 - the contract is one line, exit 2
            _fail(f"internal error: {type(err).__name__}: {err} (please report this)")


def _checked(path: Path, as_of: dt.date, selection: Selection | None = None) -> CheckRun:
    from cxportfolio.engine import Selection, run_check

    return run_check(path, as_of, selection or Selection())


def _fail(message: str) -> None:
    click.echo(f"cxportfolio: {' '.join(message.split())}", err=True)
    sys.exit(2)


def _as_of(_: click.Context, __: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date written YYYY-MM-DD") from None


AS_OF = click.option("--as-of", callback=_as_of, metavar="YYYY-MM-DD",
                     help="The date to treat as today (default: today), for reproducible output.")
PATH_ARG = click.argument("path", type=click.Path(path_type=Path), default=".", required=False)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="cxportfolio")
def cli() -> None:
    """Customer-experience improvement portfolios as code.

    Validate the portfolio's YAML, find duplicated and conflicting goals across units,
    and report what matters. PATH is the portfolio root: the directory holding
    cxportfolio.yaml (default: the current directory).

    \b
    Exit codes: 0 no error-level findings, 1 error-level findings
    (with --strict, warnings too), 2 usage error or failure.
    """


@cli.command()
@PATH_ARG
@click.option("--format", "output_format", type=click.Choice(CHECK_FORMATS), default="text",
              show_default=True, help="Output format.")
@AS_OF
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--select", multiple=True, metavar="CODE",
              help="Run only rules whose code starts with this prefix (repeatable, or comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODE",
              help="Skip rules whose code starts with this prefix (repeatable, or comma-separated).")
@click.option("--show-suppressed", is_flag=True,
              help="Also list findings accepted with `allow:` (text output).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Color the text output.")
@click.option("--baseline", "baseline_ref", metavar="REF",
              help="Report and fail only on findings not present at this git ref.")
@click.option("--baseline-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Same, from a saved `check --format json` run.")
@click.option("--config-from-base", is_flag=True,
              help="With --baseline: apply the base's `rules:`, whatever the change sets.")
def check(path: Path, output_format: str, as_of: dt.date, strict: bool, select: tuple[str, ...],
          ignore: tuple[str, ...], show_suppressed: bool, color: str, baseline_ref: str | None,
          baseline_file: Path | None, config_from_base: bool) -> None:
    """Load, validate and cross-check a portfolio; report findings.

    With --baseline REF, rules whose severity the change lowers are findings (CXP004).
    """
    from cxportfolio.engine import Selection, only_new, run_check
    from cxportfolio.load.portfolio_files import resolve_root
    from cxportfolio.render import CHECK_RENDERERS, RenderOptions

    if config_from_base and not baseline_ref:
        raise click.UsageError("--config-from-base needs --baseline REF")
    selection = Selection(_codes(select), _codes(ignore))
    known: set[str] | None = None
    base_rules = None
    if baseline_ref:
        from cxportfolio import baseline

        known, base_rules = baseline.base_at_ref(baseline_ref, resolve_root(path), as_of)
    elif baseline_file:
        from cxportfolio import baseline

        known = baseline.fingerprints_from_file(baseline_file)
    run = run_check(path, as_of, selection, base_rules, config_from_base)
    if known is not None:
        only_new(run, known)
    use_color = color == "always" or (color == "auto" and sys.stdout.isatty()
                                      and not os.environ.get("NO_COLOR"))
    options = RenderOptions(color=use_color, show_suppressed=show_suppressed,
                            path_prefix=_prefix_from_cwd(run.loaded.root))
    click.echo(CHECK_RENDERERS[output_format](run.result, options), nl=False, color=use_color)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format == "github" and summary_file:
        from cxportfolio.render.github import step_summary

        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(step_summary(run.result, options))
    sys.exit(1 if run.result.failed(strict) else 0)


def _prefix_from_cwd(root: Path) -> str:
    """CI tools resolve paths from the repository root, usually the working directory."""
    try:
        relative = root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative + "/"


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())
    for code in codes:
        if not code.startswith("CXP"):
            raise click.BadParameter(f"'{code}' is not a rule code prefix such as CXP1 or CXP201")
    return codes


RANK_FORMATS = ("text", "markdown", "csv", "json")  # kept equal to RANK_RENDERERS by a test


@cli.command()
@PATH_ARG
@click.option("--format", "output_format", type=click.Choice(RANK_FORMATS), default="text",
              show_default=True, help="Output format.")
@AS_OF
@click.option("--unit", "units", multiple=True, metavar="ID", help="Only this unit's initiatives (repeatable).")
@click.option("--journey", "journeys", multiple=True, metavar="ID", help="Only initiatives on this journey.")
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(["idea", "proposed", "approved", "in_progress", "done", "dropped"]),
              help="Only these statuses (default: all but done and dropped).")
@click.option("--all", "include_closed", is_flag=True, help="Include done and dropped initiatives.")
@click.option("--top", type=click.IntRange(min=1), help="Show the first N rows.")
@click.option("--capacity", type=click.FloatRange(min=0), metavar="N",
              help="Select the open initiatives with the most impact fitting N person-weeks.")
@click.option("--explain", metavar="ID", help="Show every term of one initiative's score.")
@click.option("--by", type=click.Choice(["initiative", "journey"]), default="initiative",
              show_default=True, help="Rank initiatives, or journeys by value still unaddressed.")
def rank(path: Path, output_format: str, as_of: dt.date, units: tuple[str, ...], journeys: tuple[str, ...],
         statuses: tuple[str, ...], include_closed: bool, top: int | None, capacity: float | None,
         explain: str | None, by: str) -> None:
    """Priority table by whole-journey impact (see docs/ranking.md)."""
    from cxportfolio.analysis.rank_table import RankFilter, journey_table, rank_table
    from cxportfolio.analysis.ranking import RankingModel
    from cxportfolio.render import explain as explain_render
    from cxportfolio.render import rank as rank_render

    run = _checked(path, as_of)
    if run.result.summary.errors:
        click.echo(f"cxportfolio: note: the portfolio has {run.result.summary.errors} error(s); "
                   "scores skip what could not be read (run `cxportfolio check`)", err=True)
    model = RankingModel(run.portfolio)
    if explain is not None:
        score = model.scores.get(explain)
        if score is None:
            from cxportfolio.model.types import did_you_mean

            hint = did_you_mean(explain, sorted(model.scores), 70)
            raise CxpError(f"no initiative '{explain}'" + (f"; {hint}" if hint else ""))
        click.echo((explain_render.explain_json if output_format == "json" else explain_render.explain_text)(score),
                   nl=False)
        return
    if by == "journey":
        click.echo(rank_render.journeys(journey_table(model), output_format), nl=False)
        return
    filters = RankFilter(units, journeys, statuses, include_closed, top)
    table = rank_table(model, run.result.findings, filters, capacity)
    click.echo(rank_render.RANK_RENDERERS[output_format](table), nl=False)


@cli.command()
@PATH_ARG
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json", "csv"]),
              default="text", show_default=True, help="Output format.")
@AS_OF
@click.option("--year", type=click.IntRange(1000, 9999), help="The year to track (default: the portfolio year).")
def track(path: Path, output_format: str, as_of: dt.date, year: int | None) -> None:
    """Annual target, pace, forecast, breakdowns and KPI trends with their reasons."""
    from cxportfolio.analysis.tracking import track as compute
    from cxportfolio.render.track import TRACK_RENDERERS

    run = _checked(path, as_of)
    click.echo(TRACK_RENDERERS[output_format](compute(run.portfolio, as_of, year)), nl=False)


@cli.command()
@PATH_ARG
@click.option("--format", "output_format", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True, help="Markdown for wikis and PR comments, or one self-contained HTML page.")
@AS_OF
@click.option("--period", metavar="PERIOD", help="The edition: a year (2026), quarter (2026-Q2) or month (2026-06).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of stdout (atomically; never a file of the portfolio, "
                   "never through a symbolic link).")
def report(path: Path, output_format: str, as_of: dt.date, period: str | None, out: Path | None) -> None:
    """The one-page report: target, journey map, priorities, silos, KPI trends with reasons."""
    from cxportfolio.analysis.report_data import build_report
    from cxportfolio.render.report import REPORT_RENDERERS

    run = _checked(path, as_of)
    target = None if out is None else _report_target(out, run.loaded.root)
    text = REPORT_RENDERERS[output_format](build_report(run, as_of, period))
    if target is None:
        click.echo(text, nl=False)
    else:
        from cxportfolio.schema import write_atomically

        write_atomically(target, text)
        click.echo(f"wrote {out}")


def _report_target(out: Path, root: Path) -> Path:
    """Where `report --out` may write: never a portfolio document or cxportfolio.yaml
    (a YAML file anywhere in the portfolio), never through a symbolic link. An ordinary
    earlier report is replaced, atomically."""
    from cxportfolio.load.portfolio_files import DOCUMENT_SUFFIXES
    from cxportfolio.schema import safe_target

    target = safe_target(out)
    real = Path(os.path.realpath(target.parent)) / target.name
    real_root = Path(os.path.realpath(root))
    if (real == real_root or real_root in real.parents) and target.name.lower().endswith(DOCUMENT_SUFFIXES):
        raise CxpError(f"{out}: lies in the portfolio, where a YAML file is a portfolio document "
                       "(or its configuration); refusing to write the report there")
    return target


@cli.command(short_help="What a change does: entities, findings, rank moves, forecast.")
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option("--base-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Compare from this portfolio directory instead of a git ref BASE.")
@click.option("--head-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Compare to this portfolio directory instead of a git ref HEAD.")
@click.option("--path", "path", type=click.Path(path_type=Path), default=".", show_default=True,
              help="The portfolio root (for git refs: where it lies in the repository).")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="Output format; markdown is ready to post as a PR comment.")
@AS_OF
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="Report initiatives entering or leaving the top N.")
@click.option("--moved", type=click.IntRange(min=1), default=3, show_default=True,
              help="Report initiatives moving by this many places or more.")
def diff(base: str | None, head: str | None, base_dir: Path | None, head_dir: Path | None, path: Path,
         output_format: str, as_of: dt.date, top: int, moved: int) -> None:
    """Compare BASE with HEAD, two git refs (commits, branches, tags).

    HEAD defaults to the working tree at --path. BASE and HEAD are only ever git refs:
    compare portfolio directories with --base-dir DIR and --head-dir DIR. A BASE or HEAD
    that also names a directory is refused, so a change cannot pose as the base by
    adding a folder named like it (`origin/main/`). Exit 1 when the change adds
    error-level findings, so the command can gate a pull request too.
    """
    import tempfile

    from cxportfolio.analysis.change import compare
    from cxportfolio.model.finding import Severity
    from cxportfolio.render.diff import DIFF_RENDERERS

    for name, ref, directory in (("BASE", base, base_dir), ("HEAD", head, head_dir)):
        if ref is not None and directory is not None:
            option = f"--{name.lower()}-dir"
            raise CxpError(f"give {name} as a git ref or as {option} DIR, not both")
    if base is None and base_dir is None:
        raise CxpError("diff needs BASE (a git ref, e.g. origin/main) or --base-dir DIR")
    with tempfile.TemporaryDirectory(prefix="cxportfolio-diff-") as tmp:
        def resolve(ref: str | None, directory: Path | None, name: str) -> Path:
            if directory is not None:
                return directory
            if ref is None:
                return path
            return _tree_at_ref(ref, name, path, Path(tmp) / name.lower())

        from cxportfolio.engine import run_check

        base_run = _checked(resolve(base, base_dir, "BASE"), as_of)
        # The head is checked against the base's rules too: what the change weakens is a
        # new finding (CXP004), so a diff never passes over a configuration change.
        head_run = run_check(resolve(head, head_dir, "HEAD"), as_of, base_rules=base_run.portfolio.rules)
    change = compare(base_run, head_run, as_of, top, moved)
    click.echo(DIFF_RENDERERS[output_format](change), nl=False)
    sys.exit(1 if any(f.severity is Severity.ERROR for f in change.new_findings) else 0)


def _tree_at_ref(ref: str, name: str, root: Path, into: Path) -> Path:
    """The portfolio at a git ref, copied into `into`; a ref is never read as a directory."""
    from cxportfolio.baseline import checkout_at, resolve_commit

    option = f"--{name.lower()}-dir"
    if root.name == "cxportfolio.yaml" and root.is_file():  # PATH may name the configuration
        root = root.parent
    is_dir = os.path.isdir(ref)
    if resolve_commit(ref, root) is None:
        hint = f"; to compare with the directory {ref}, use {option} {ref}" if is_dir else ""
        raise CxpError(f"{name} '{ref}' is not a git ref (a commit, branch or tag) in this repository{hint}")
    if is_dir:
        raise CxpError(f"{name} '{ref}' names both a git ref and a directory: refused, as a directory could "
                       f"pose as the ref; rename or remove the directory, or use {option} to compare it")
    return checkout_at(ref, root, into)


@cli.command(short_help="Print or write the JSON Schemas of the file format.")
@click.option("--kind", type=click.Choice(["portfolio", "config"]), default="portfolio",
              show_default=True, help="Which schema to print.")
@click.option("--write", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Write both schemas into this directory instead of printing one "
                   "(atomically; never through a symbolic link).")
def schema(kind: str, directory: Path | None) -> None:
    """Print or write the JSON Schemas (draft 2020-12) of the file format.

    Editors with the YAML language server use them for completion and inline errors:
    start a file with `# yaml-language-server: $schema=<path>/portfolio.schema.json`.
    """
    from cxportfolio.schema import render_schema, write_schemas

    if directory is None:
        click.echo(render_schema(kind), nl=False)
        return
    for written in write_schemas(directory):
        click.echo(f"wrote {written}")


# The years a scaffold may be for: its KPI baseline is the year before (model.types:
# YEAR_MIN + 1 … YEAR_MAX, kept equal by a test; the model is not imported to start fast).
INIT_YEARS = (1901, 2999)


@cli.command(short_help="Scaffold a new portfolio that passes `check`.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".",
                required=False)
@click.option("--organization", default="My organization", show_default=True)
@click.option("--year", type=click.IntRange(*INIT_YEARS), default=None,
              help="The portfolio year (default: the current year).")
@click.option("--force", is_flag=True,
              help="Write into a directory that is not empty, replacing the scaffold's files there "
                   "(never through a symbolic link).")
def init(directory: Path, organization: str, year: int | None, force: bool) -> None:
    """Scaffold a new portfolio in DIRECTORY that passes `check` at once.

    DIRECTORY must be empty (a `.git` folder aside) unless --force is given.
    """
    from cxportfolio.scaffold import scaffold

    for written in scaffold(directory, organization, year or dt.date.today().year, force):
        click.echo(f"wrote {written}")
    click.echo(f"Next: edit the files, then run `cxportfolio check {directory}`.")


@cli.command(short_help="List the rules, or explain one.")
@click.argument("code", required=False)
@click.option("--markdown", is_flag=True, help="Print the whole catalogue as docs/rules.md.")
def rules(code: str | None, markdown: bool) -> None:
    """List the rules, or explain one (e.g. `cxportfolio rules CXP102`)."""
    from cxportfolio.docs import rule_markdown, rules_markdown
    from cxportfolio.rules import REGISTRY

    if markdown:
        click.echo(rules_markdown(), nl=False)
        return
    if code:
        rule = REGISTRY.get(code.upper())
        if rule is None:
            raise CxpError(f"unknown rule code {code}; `cxportfolio rules` lists them")
        click.echo(rule_markdown(rule), nl=False)
        return
    for rule in sorted(REGISTRY.values(), key=lambda r: r.code):
        click.echo(f"{rule.code}  {rule.name:<22} {rule.severity.value:<8} {rule.summary}")


def main() -> None:
    try:
        cli(prog_name="cxportfolio")
    except BrokenPipeError:  # a reader that stopped early (`| head`): not an error of ours
        sys.stderr.close()
        sys.exit(1)
