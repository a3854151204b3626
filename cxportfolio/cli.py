"""The `cxportfolio` command line: thin click commands over the engine and renderers.

Heavy modules are imported inside the commands so that `--help` and `--version` start fast.
"""

from __future__ import annotations

import atexit
import datetime as dt
import errno
import gc
import math
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from cxportfolio import __version__, streams
from cxportfolio.errors import CxpError, permission_denied

if TYPE_CHECKING:
    from cxportfolio.analysis.exclusions import Exclusions
    from cxportfolio.engine import CheckRun, Known, Selection
    from cxportfolio.model.portfolio import Portfolio, Unread
    from cxportfolio.outputs import Output
    from cxportfolio.rules.base import Rule

CHECK_FORMATS = ("text", "json", "github", "sarif", "gitlab", "junit")  # = CHECK_RENDERERS (tested)


class _Command(click.Command):
    """A subcommand whose usage errors name it: click raises a value missing at the end
    (`rank --capacity`) with no context, which read as `cxportfolio --help`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as err:
            if err.ctx is None:
                err.ctx, err.cmd = ctx, self
            raise


# click 8.2 made `cxportfolio` alone a usage error (the help on stderr, exit 2); 8.1 printed it
_NO_ARGS: type[Exception] | tuple[()] = getattr(click.exceptions, "NoArgsIsHelpError", ())


class _Cli(click.Group):
    """Turns every failure into exit 2 and one line on stderr, never a traceback."""

    command_class = _Command

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        written = list(args)  # as given: click's parser takes the arguments from `args`
        try:  # the group's own options (`cxportfolio --bogus`)
            return super().make_context(info_name, args, parent, **extra)
        except _NO_ARGS as err:  # `cxportfolio` alone asks what it can do: the help, as click 8.1 gave it
            click.echo(err.ctx.get_help())
            err.ctx.exit(0)
        except click.NoSuchOption as err:
            _usage_error(self._before_command(err, written) or err)
        except click.UsageError as err:
            _usage_error(err)
        except streams.OutputError as err:  # `cxportfolio --help >/dev/full`
            streams.failed(err)
        except KeyboardInterrupt:  # Ctrl-C while the arguments are read: not click's "Aborted!", exit 1
            _fail("interrupted", streams.INTERRUPTED)

    def _before_command(self, err: click.NoSuchOption, args: list[str]) -> click.UsageError | None:
        """A command's option written before the command (`cxportfolio --format json check`):
        said so, with the command line that works, not "no such option" of the program."""
        having = [name for name, command in self.commands.items()
                  if any(err.option_name in (*p.opts, *p.secondary_opts) for p in command.params)]
        given = next((a for a in args if a in self.commands), None)
        if not having or given is not None and given not in having:
            return None
        if given is None:
            return click.UsageError(f"{err.option_name} is an option of the commands {', '.join(having)}: "
                                    "write it after the command", err.ctx)
        import shlex

        from cxportfolio.render.neutral import one_line

        args.remove(given)
        line = one_line(shlex.join(["cxportfolio", given, *args]))
        return click.UsageError(f"{err.option_name} is an option of {given}, not of cxportfolio: write it after "
                                f"the command (`{line}`)", err.ctx)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                               list[str]]:
        name = args[0] if args else ""
        if name.startswith("-") or self.get_command(ctx, name) is not None or ctx.resilient_parsing:
            return super().resolve_command(ctx, args)
        # click names every command difflib finds, in alphabetical order (`chek`: 'check',
        # 'schema'), and click 8.1 none: the closest, as an unknown rule code is named
        # Commands are lower case: `CHECK` (caps lock) is told 'check', as `Lint` is.
        word = name.lower()
        meant = _COMMAND_WORDS.get(word) or _COMMAND_WORDS.get(word.removesuffix("s"))  # `lints`, `validates`
        raise click.UsageError(f"No such command '{name}'"
                               + (f"; {meant}" if meant else _closest(name.lower(), self.list_commands(ctx))), ctx)

    def invoke(self, ctx: click.Context) -> Any:
        from cxportfolio.memory import paused_gc

        try:
            with paused_gc():  # rendering a large run too: restored when the command ends
                return super().invoke(ctx)
        except CxpError as err:
            _fail(str(err))
        except click.UsageError as err:  # a subcommand's arguments, or its own refusal
            _usage_error(err)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except streams.OutputError as err:  # stdout or stderr failed (`>/dev/full`, `| head`)
            streams.failed(err)
        except KeyboardInterrupt:  # Ctrl-C: one line, and the shell's code for it
            _fail("interrupted", streams.INTERRUPTED)
        except BrokenPipeError as err:  # a stream not guarded (in-process): as a guarded one's
            streams.failed(streams.OutputError(err, "stdout"))
        except RecursionError:
            _fail("internal error: input nested too deeply")
        except Exception as err:  # noqa: BLE001 - the contract is one line, exit 2
            from cxportfolio.workdir import GONE, current_folder

            if isinstance(err, FileNotFoundError) and current_folder() is None:  # a relative path, then
                _fail(GONE)
            if isinstance(err, OSError) and err.filename is not None:  # a path the system refuses
                _fail(_refused_path(err))
            _fail(f"internal error: {type(err).__name__}: {err} (please report this)")


def _refused_path(err: OSError) -> str:
    """A path the system refused on the way (a folder above it that cannot be read, a name
    too long), wherever a command met it: the path and why, not an internal error."""
    why = err.strerror or type(err).__name__
    if err.errno in (errno.EACCES, errno.EPERM):
        return permission_denied(err.filename)
    return f"{err.filename}: {why[:1].lower()}{why[1:]}"


def _checked(path: Path, as_of: dt.date, selection: Selection | None = None) -> CheckRun:
    from cxportfolio.engine import Selection, run_check

    return run_check(path, as_of, selection or Selection())


STRICT_FIGURES = click.option("--strict", is_flag=True,
                              help="Refuse (exit 1) when these figures may rest on an error (what their "
                                   "note says otherwise), rather than give figures that leave something out; "
                                   "`cxportfolio check` gates on every error.")


def _figures_note(run: CheckRun, strict: bool, unread: Unread | None = None, named: bool = True,
                  left: Exclusions | None = None, at_ref: tuple[Path, str] | None = None) -> Exclusions:
    """rank, track and report compute with what they read of it as written (`unread`: what
    the command never reads, Portfolio.for_figures): when the portfolio has errors, say
    on stderr what the figures leave out, or refuse with --strict. `named`: the command
    to list the errors names the portfolio's folder. `at_ref`: the folder in the working
    tree and the ref whose copy the run read (`diff`'s head at a ref). `left`: what
    they leave out when already known (the report's). Returns what they leave out (the
    JSON outputs say it too)."""
    from cxportfolio.analysis.exclusions import exclusions
    from cxportfolio.render.neutral import one_line
    from cxportfolio.workdir import shown_from_here

    left = exclusions(run, unread) if left is None else left
    if not left.honest:
        folder = at_ref[0] if at_ref is not None else run.loaded.root
        where = shown_from_here(folder) if named else "."
        where = str(folder) if where.startswith("..") else where  # the shorter to read
        command = "cxportfolio check " + ("" if where == "." else _shown(Path(where)) + " ")
        at = f" with {one_line(at_ref[1])} checked out" if at_ref is not None else ""
        # the date only when it is not today's, which check takes by itself (a newcomer
        # wondered what today's date was doing in the command)
        command += "" if run.as_of == dt.date.today() else f"--as-of {run.as_of.isoformat()}"
        click.echo(f"cxportfolio: {'refused (--strict)' if strict else 'note'}: {left.summary()}; "
                   f"run `{command.rstrip()}`{at}", err=True)
        if strict:
            sys.exit(1)
    return left


def _fail(message: str, code: int = 2) -> NoReturn:
    from cxportfolio.render.neutral import one_line

    # A message may quote a file or folder name: on one line, without control characters.
    try:
        streams.note(f"cxportfolio: {one_line(' '.join(message.split()))}")
    except streams.OutputError:  # stderr cannot take it either: the exit code says it
        pass
    sys.exit(code)


def _usage_error(err: click.UsageError) -> NoReturn:
    """One line, as every other failure, instead of click's usage block; exit 2.

    `cxportfolio` alone still prints the help (click raises that as a usage error too)."""
    if type(err).__name__ == "NoArgsIsHelpError":
        raise err
    message = err.format_message().rstrip(".")
    if isinstance(err, click.NoSuchOption):  # `--strcit`: '--strict', not also '--select'
        message = f"No such option '{err.option_name}'{_closest(err.option_name, err.possibilities or ())}"
    if message[1:2].islower():
        message = message[:1].lower() + message[1:]  # "No such option" -> "no such option"
    names = err.ctx.command_path.split()[1:] if err.ctx is not None else []
    command = " ".join(["cxportfolio", *names])  # whatever name the program was started by
    _fail(f"{message} (see `{command} --help`)")


# Words other tools use for what a command here does, which spelling alone does not lead
# to (`lint` is closest to 'init', which writes a portfolio): the command meant.
_COMMAND_WORDS = {
    "lint": "did you mean 'check'?", "validate": "did you mean 'check'?",
    "new": "did you mean 'init'?", "scaffold": "did you mean 'init'?",
    "explain": "`cxportfolio rules CODE` explains a rule, `cxportfolio rank --explain ID` an initiative's score",
    "plan": "`cxportfolio rank --plan` or `rank --capacity N` plans",
    "help": "`cxportfolio COMMAND --help` explains a command",
    "version": "`cxportfolio --version` says it",
}


def _closest(name: str, names: Iterable[str]) -> str:
    """"; did you mean ..." naming the closest of `names` to a mistyped command or option,
    or nothing: those difflib finds alike (as click does), the closest picked as every
    "did you mean" picks it (model.types.most_alike)."""
    from difflib import get_close_matches

    from cxportfolio.model.types import most_alike

    found = most_alike(name, get_close_matches(name, list(names)), cutoff=0)
    if not found:
        return ""
    return f"; did you mean {' or '.join(repr(n) for n in found[:3])}?"


def _as_of(_: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    # YYYY-MM-DD only: Python 3.11's fromisoformat also takes 20260630 and 2026-W26-2,
    # which 3.10 refuses (one date, read one way on every supported Python)
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        option = param.opts[0] if param.opts else "--as-of"
        meant = _day_meant(value)
        write = f": write {option} {meant}" if meant else _as_of_meant(value, option)
        raise click.BadParameter(f"'{value}' is not a date written YYYY-MM-DD{write}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"'{value}' is written YYYY-MM-DD but is no date: {err}") from None


def _as_of_meant(text: str, option: str) -> str:
    """`--as-of today` (the default) or a period as `report --period` takes it, `--as-of
    2026-Q3` or `--as-of 2026` (its last day is the date meant, as `report --period` shows
    a period's state at its end)."""
    from cxportfolio.analysis.tracking import period_range
    from cxportfolio.model.types import PERIOD_PATTERN

    if text.strip().casefold() in ("today", "now", "i dag", "idag"):
        return f": leave {option} out for today"
    period = text.strip().upper()
    if re.match(PERIOD_PATTERN, period):  # (a day written YYYY-MM-DD never comes here)
        return f": for the end of {period}, write {option} {period_range(period)[1].isoformat()}"
    return ""


def _day_meant(text: str) -> str | None:
    """The one day a date written otherwise names, as YYYY-MM-DD: `30.06.2026`, `1.7.2026`,
    `2026/6/30`, `20260630`, `6/30/2026`; None when it names none, or two (`03/04/2026`:
    the 3rd of April, or March the 4th). Dots put the day first, as in Europe."""
    text = text.strip()
    if found := re.fullmatch(r"([0-9]{4})([-./ ])([0-9]{1,2})\2([0-9]{1,2})|([0-9]{4})([0-9]{2})([0-9]{2})", text):
        readings = [found.group(1, 3, 4) if found[1] else found.group(5, 6, 7)]
    elif found := re.fullmatch(r"([0-9]{1,2})([-./ ])([0-9]{1,2})\2([0-9]{4})", text):
        readings = [(found[4], found[3], found[1])]  # day first
        if found[2] != ".":  # or month first (6/30/2026)
            readings.append((found[4], found[1], found[3]))
    else:
        return None
    days = set()
    for year, month, day in readings:
        try:
            days.add(dt.date(int(year), int(month), int(day)).isoformat())
        except ValueError:
            pass
    return days.pop() if len(days) == 1 else None


# A format's name as its file's suffix writes it, which fuzzy matching finds too unlike.
_SHORT_NAMES = {"md": "markdown", "htm": "html", "txt": "text"}


class _Choice(click.Choice):
    """click's Choice, whose refusal also names the choice meant, as a file's value is told
    it (`--status in-progress`: 'in_progress', `--format sarf`: 'sarif'): the list alone
    left the user to find the one letter."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as err:
            from cxportfolio.model.types import choice_hint

            hint = choice_hint(value, list(self.choices)) if isinstance(value, str) else None
            short = _SHORT_NAMES.get(value.casefold()) if isinstance(value, str) else None
            if hint is None and short in self.choices:  # `--format md`: too short to be alike
                hint = f"did you mean '{short}'?"
            if hint is None:
                raise
            self.fail(f"{err.message.rstrip('.')}; {hint}", param, ctx)


class _Whole(click.IntRange):
    """A whole number in a range: click's wording for one that is not ("not a valid
    integer range") reads as if a range were wanted. One written in another base (`0x10`)
    is said how to write, as _Number says it."""

    name = "whole number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?0[xXoObB]\w+\s*", value):
            from cxportfolio.model.hints import option_number_hint

            hint = option_number_hint(value)
            if hint is not None:
                self.fail(f"{value!r} is not a valid whole number; {hint}", param, ctx)
        return super().convert(value, param, ctx)


class _Number(click.FloatRange):
    """A finite number in a range (see _Whole): `nan` and `inf` are no capacity."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and (re.fullmatch(r"[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}", value.strip())
                                       or not _plain_number(value)):
            # `100,5`, `100 000`, `1.000`: read as a file's number is, and said how to write it
            # (`1.000` would be 1.0 to Python, where a Norwegian or Dane means 1000)
            from cxportfolio.model.hints import option_number_hint

            hint = option_number_hint(value)
            if hint is not None:
                self.fail(f"{value!r} is not a valid number; {hint}", param, ctx)
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


def _plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


AS_OF = click.option("--as-of", callback=_as_of, metavar="YYYY-MM-DD",
                     help="The date to treat as today (default: today), for reproducible output.")


def _portfolio_path(ctx: click.Context, _: click.Parameter, value: Path | None) -> Path | None:
    """PATH as given, or else the portfolio found from the working directory."""
    if ctx.resilient_parsing:  # shell completion, which must not search
        return value
    if value is not None:
        _refuse_inside(value, f"run `cxportfolio {ctx.info_name} {{root}}` (or with no PATH from inside it)")
        return value
    return _discovered(bool(ctx.params.get("quiet")))


def _refuse_inside(path: Path, action: str) -> None:
    """A PATH inside a portfolio (`agency/units`, a file of it) is refused naming the
    portfolio, whose folder is the PATH meant: "not a portfolio root" and its advice to run
    `init` there made a portfolio inside the portfolio. `action` names the command to run,
    with `{root}` for the portfolio's folder."""
    from cxportfolio.load.discovery import portfolio_above
    from cxportfolio.load.portfolio_files import CONFIG_NAME

    if path.name == CONFIG_NAME or not path.exists() or path.is_dir() and os.path.lexists(path / CONFIG_NAME):
        return  # a root (or its cxportfolio.yaml), or nothing: resolve_root says what it is
    root = portfolio_above(path.parent if path.is_file() else path)
    if root is None:
        return
    shown = str(root) if path.is_absolute() else os.path.relpath(root)
    what = "a file inside" if path.is_file() else "inside"
    action = action.format(root=_shown(Path(shown)))
    raise CxpError(f"{path} is {what} the portfolio {shown}: {action}")


def _discovered(quiet: bool = False) -> Path:
    """The portfolio the working directory is in (or above), else the only one below it,
    which is then named on stderr (load/discovery.py)."""
    from cxportfolio.load.discovery import find_portfolio
    from cxportfolio.render.neutral import printable

    from cxportfolio.workdir import current_folder_needed

    found = find_portfolio(current_folder_needed())
    if found.below and not quiet:
        click.echo(f"cxportfolio: using the portfolio in {printable(found.root.as_posix())}", err=True)
    return found.root


# readable=False: an unreadable PATH is said by resolve_root as every path refused is, not as
# click says it ("invalid value for '[PATH]': Path 'p' is not readable")
PATH_ARG = click.argument("path", type=click.Path(path_type=Path, readable=False), required=False,
                          callback=_portfolio_path)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="cxportfolio")
def cli() -> None:
    """Customer-experience improvement portfolios as code.

    Validate the portfolio's YAML, find duplicated and conflicting goals across units,
    and report what matters. PATH is the portfolio root: the directory holding
    cxportfolio.yaml. Without PATH, the portfolio is found as git finds a repository:
    the current directory or the nearest one above it holding cxportfolio.yaml, else
    the only portfolio below the current directory.

    \b
    Exit codes: 0 no error-level findings, 1 error-level findings
    (with --strict, warnings too), 2 usage error or failure (an output
    that cannot be written too), 130 Ctrl-C, 141 the reader stopped early.
    """


def _outputs(_: click.Context, __: click.Parameter, specs: tuple[str, ...]) -> tuple[Output, ...]:
    from cxportfolio.outputs import distinct, parse_output

    try:
        outputs = tuple(parse_output(spec) for spec in specs)
        distinct(outputs)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None
    return outputs


@cli.command()
@PATH_ARG
@click.option("--format", "output_format", type=_Choice(CHECK_FORMATS), default="text",
              show_default=True, help="Output format.")
@AS_OF
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--select", multiple=True, metavar="CODE",
              help="Run only rules whose code starts with this prefix (repeatable, or comma-separated); "
                   "CXP001–CXP004 and CXP101 always run.")
@click.option("--ignore", multiple=True, metavar="CODE",
              help="Skip rules whose code starts with this prefix (repeatable, or comma-separated); "
                   "CXP001–CXP004 and CXP101 always run.")
@click.option("--show-suppressed", is_flag=True,
              help="Also list findings accepted with `allow:` (text output).")
@click.option("--errors-only", is_flag=True,
              help="List only the findings that fail the check: errors (with --strict, warnings too); "
                   "the summary still counts the others (text output; the pre-commit hook's).")
@click.option("--color", type=_Choice(["auto", "always", "never"]), default="auto",
              show_default=True,
              help="Color the text output (auto: on a terminal, unless NO_COLOR is set or TERM=dumb).")
@click.option("--no-color", is_flag=True, help="Same as --color never.")
@click.option("-q", "--quiet", is_flag=True, is_eager=True,  # eager: known before PATH is looked for
              help="Print the findings only: no summary line, no note on stderr but one that says why "
                   "findings count as new against a baseline (a last line says what limits the findings, "
                   "such as a file that does not parse, when something does).")
@click.option("--baseline", "baseline_ref", metavar="REF",
              help="Report and fail only on findings not present at this git ref.")
@click.option("--baseline-file", type=click.Path(dir_okay=False, readable=False, path_type=Path),
              help="Same, from a saved `check --format json` run.")
@click.option("--config-from-base", is_flag=True,
              help="With --baseline or --baseline-file: judge findings by the base's `rules:`, whatever "
                   "the change sets (CXP004 still reports what it weakens).")
@click.option("--output", "outputs", multiple=True, metavar="FORMAT=PATH", callback=_outputs,
              help="Also write FORMAT to PATH from the same run (repeatable; atomically, never a "
                   "file of the portfolio, never through a symbolic link, never over a file that is "
                   "not an earlier output of FORMAT).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with error-level findings (2 stays 2).")
@click.option("--statistics", is_flag=True,
              help="Print the number of findings per rule code instead of the findings (text or json).")
def check(path: Path, output_format: str, as_of: dt.date, strict: bool, select: tuple[str, ...],
          ignore: tuple[str, ...], show_suppressed: bool, errors_only: bool, color: str, no_color: bool, quiet: bool,
          baseline_ref: str | None,
          baseline_file: Path | None, config_from_base: bool, outputs: tuple[Output, ...],
          exit_zero: bool, statistics: bool) -> None:
    """Load, validate and cross-check a portfolio; report findings.

    With --baseline REF or --baseline-file FILE, rules whose severity the change lowers
    are findings (CXP004).
    """
    from cxportfolio.engine import Known, Selection, only_new, run_check
    from cxportfolio.load.portfolio_files import resolve_root
    from cxportfolio.outputs import STATISTICS_FORMATS, ready, write_outputs
    from cxportfolio.render import CHECK_RENDERERS, RenderOptions

    # With --output and neither --format nor --statistics, the files are all that was asked
    # for, and a closed stdout is the user's choice; what was asked of stdout needs it open.
    files_only = bool(outputs) and not statistics and not _given("output_format")
    if not files_only:
        streams.require_stdout()
    if config_from_base and baseline_ref is None and baseline_file is None:
        raise click.UsageError("--config-from-base needs --baseline REF or --baseline-file FILE")
    if baseline_ref is not None and baseline_file is not None:
        raise click.UsageError("give --baseline REF or --baseline-file FILE, not both")
    if statistics and output_format not in STATISTICS_FORMATS:
        raise click.UsageError("--statistics prints text or json; write other formats with --output")
    # Every target is checked before the run: a refused one costs no check and writes nothing.
    targets = [(o.format, ready(_report_target(o.path, resolve_root(path), o.format), o)) for o in outputs]
    ignored = _codes(ignore, "--ignore")  # as written, to be named so
    selection = Selection(_codes(select, "--select"), ignored)
    if not quiet:
        for prefix in ignored:
            if selection.always_run(prefix.upper()):
                click.echo(f"cxportfolio: note: --ignore {prefix} changes nothing: the syntax, repeated-key, "
                           "schema, id and configuration-change checks always run", err=True)
    if errors_only and not quiet:
        _errors_only_notes(output_format, statistics, show_suppressed)
    if baseline_ref or baseline_file:
        _baseline_mixed_up(baseline_ref, baseline_file, resolve_root(path))
    known: Known | None = None  # the base's findings (engine.only_new)
    base_rules = None
    added: CxpError | None = None  # the portfolio did not exist at the baseline ref
    if baseline_ref is not None:  # an empty REF too: git says why it names nothing
        from cxportfolio import baseline

        try:
            known, base_rules = baseline.base_at_ref(baseline_ref, resolve_root(path), as_of)
        except baseline.PortfolioAbsent as absent:  # the change adds the portfolio
            known, added = Known.of(()), absent
    elif baseline_file:
        from cxportfolio import baseline

        known, base_rules = baseline.fingerprints_from_file(baseline_file)
        if base_rules is None:
            if config_from_base:
                raise CxpError(f"{baseline_file}: --config-from-base needs the base's `rules:`, which this "
                               "baseline file does not hold: save it again with this version")
            if not quiet:
                click.echo(f"cxportfolio: note: {baseline_file} holds no `rules:` (saved by an earlier version): "
                           "what the change weakens (CXP004) is not checked; save it again", err=True)
    run = run_check(path, as_of, selection, base_rules, config_from_base)
    if added is not None:  # said once the run cannot fail: exit 2 is one line
        click.echo(f"cxportfolio: note: {added}: every finding is new", err=True)
    if known is not None:
        only_new(run, known, show_suppressed)
        _say_not_compared(run, known, baseline_ref, baseline_file)
    use_color = not no_color and (color == "always" or (color == "auto" and _on_terminal()))
    prefix, inside = _paths_from(run.loaded.root, output_format)
    options = RenderOptions(color=use_color, show_suppressed=show_suppressed, quiet=quiet,
                            path_prefix=prefix, path_inside=inside, strict=strict, errors_only=errors_only)
    def for_file(name: str) -> RenderOptions:  # files never get color codes, and each format's paths are its own
        file_prefix, file_inside = _paths_from(run.loaded.root, name)
        return replace(options, color=False, path_prefix=file_prefix, path_inside=file_inside)

    write_outputs(run.result, for_file, targets)
    if statistics:
        from cxportfolio.outputs import statistics as counts

        streams.out(counts(run.result, output_format), machine=output_format == "json", optional=files_only)
    else:
        # The job summary is written with the annotations, which may then point to it.
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY") if output_format == "github" else None
        streams.out(CHECK_RENDERERS[output_format](run.result, replace(options, step_summary=bool(summary_file))),
                    machine=output_format != "text", color=use_color, optional=files_only)
        if summary_file:
            from cxportfolio.render.github import step_summary

            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(step_summary(run.result, options))
    code = 1 if run.result.failed(strict) and not exit_zero else 0
    from cxportfolio.memory import leave_to_exit

    # Gone before the command ends (freed, or left to the process's end): held by the
    # exit's traceback, the run would be alive when the collector is restored, which
    # would walk its millions of objects once more (3 s at 100,000 initiatives).
    leave_to_exit(run)
    del run
    sys.exit(code)


def _errors_only_notes(output_format: str, statistics: bool, show_suppressed: bool) -> None:
    """`--errors-only` shapes the text list of findings only: with another output, or with
    an option it makes moot, it is said on stderr, not silently left without effect."""
    if statistics:
        click.echo("cxportfolio: note: --errors-only changes nothing with --statistics, which counts "
                   "every finding", err=True)
    elif output_format != "text":
        click.echo(f"cxportfolio: note: --errors-only changes nothing with --format {output_format}, "
                   "which lists every finding (it shapes the text output)", err=True)
    elif show_suppressed:
        click.echo("cxportfolio: note: --show-suppressed shows nothing with --errors-only: a finding "
                   "accepted by allow: never fails the check", err=True)


def _baseline_mixed_up(ref: str | None, saved: Path | None, root: Path) -> None:
    """A saved run given to --baseline, or a git ref to --baseline-file, is refused naming
    the option meant: git's "bad revision" or "no such file" alone hid the mix-up."""
    from cxportfolio import baseline

    if ref and os.path.isfile(ref) and baseline.resolve_commit(ref, root) is None:
        raise CxpError(f"'{ref}' is a file, not a git ref: give a saved `check --format json` run as "
                       f"--baseline-file {_shown(Path(ref))}")
    if saved is not None and not os.path.lexists(saved):
        try:
            commit = baseline.resolve_commit(str(saved), root)
        except CxpError:  # not in a git repository: only the file was meant
            return
        if commit is not None:
            raise CxpError(f"{saved}: no such file, but a git ref: give a ref as --baseline {_shown(str(saved))}")


def _say_not_compared(run: CheckRun, known: Known, ref: str | None, saved: Path | None) -> None:
    """One line for each file that did not parse at the base (at `ref`, or in the `saved`
    run, which names them): what the gate reports of it
    is new for want of a comparison (the base knows nothing of it), not known to be new.
    They still count, as every finding does when the portfolio is missing at the base: a
    finding the base cannot vouch for never passes unseen (docs/ci.md)."""
    from cxportfolio.engine import not_compared, renamed_from
    from cxportfolio.render.neutral import printable
    from cxportfolio.render.text import plural
    from cxportfolio.rules.base import MAX_NAMED, named

    when = f"at {printable(ref)}" if ref is not None else f"when {printable(str(saved))} was saved"
    counts = not_compared(run.result.findings, run.portfolio, known.unreadable, known.files)
    gone = renamed_from(known.unreadable, run.portfolio.files)
    for file, n in sorted(counts.items()):
        # a file not at the base (a ref's, whose files are known): one that did not parse there, gone since, may be it
        one = len(gone) == 1
        what = (f"did not parse {when}" if file in known.unreadable else f"is not {when}, where "
                f"{named([printable(f) for f in gone[:MAX_NAMED]], len(gone), and_last=True)} did not parse (it may be "
                f"{'that file' if one else 'one of them'}, renamed)")
        click.echo(f"cxportfolio: note: {printable(file)} {what}: "
                   f"{plural(n, 'finding')} in it or about what it defines {'is' if n == 1 else 'are'} "
                   f"not compared with the base, and {'counts' if n == 1 else 'count'} as new (to see which "
                   f"{'it is' if n == 1 else 'are'}, compare with a commit where it parsed)", err=True)


def _given(parameter: str) -> bool:
    """Whether the user gave the current command's `parameter` (on the command line or in
    the environment), not its default."""
    source = click.get_current_context().get_parameter_source(parameter)
    return source is not None and source is not click.core.ParameterSource.DEFAULT


def _on_terminal() -> bool:
    """Whether stdout is a terminal that shows color: not closed (`>&-`, the output going to
    --output files only), not TERM=dumb (Emacs' shell, some CI consoles), no NO_COLOR."""
    return (sys.stdout is not None and sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
            and not os.environ.get("NO_COLOR"))


# The formats CI services read, which resolve a file from the repository's checkout.
CI_FORMATS = ("github", "sarif", "gitlab", "junit")


def _paths_from(root: Path, output_format: str, read_in_ci: bool = False) -> tuple[str, str]:
    """Paths are printed relative to where the command runs, so that a terminal or an editor
    opens `file:line:col`; in CI ($GITHUB_WORKSPACE, GitLab's $CI_PROJECT_DIR) the CI
    formats' are relative to the checkout, where GitHub and GitLab resolve them, wherever
    the step runs — each format by its own rule, on stdout or in an --output file. So are
    those of what is read on GitHub or GitLab (`read_in_ci`: diff's Markdown, a PR comment).
    The prefix that reaches the root from there, and where that is inside the root, if it
    is (RenderOptions.path_inside: from `units/`, `advisory.yaml`, not `../units/advisory.yaml`)."""
    from cxportfolio.render.options import inside_from, prefix_from
    from cxportfolio.workdir import current_folder

    workspace = os.environ.get("GITHUB_WORKSPACE")
    checkout = workspace or os.environ.get("CI_PROJECT_DIR")
    if (output_format in CI_FORMATS or read_in_ci) and checkout:
        base = _repository_below(root, Path(workspace)) if workspace else Path(checkout)
        return prefix_from(root, base, resolve=True), inside_from(root, base, resolve=True)
    here = current_folder()  # removed: the paths are absolute (an absolute PATH still works)
    if here is None:
        return root.as_posix().rstrip("/") + "/", ""
    return prefix_from(root, here), inside_from(root, here)


def _repository_below(root: Path, workspace: Path) -> Path:
    """The folder GitHub resolves annotations and SARIF uris from: the repository's root.
    It is the workspace, unless `actions/checkout` put the repository in a folder of it
    (`path: portfolio-repo`, beside other checkouts): then the nearest folder holding the
    portfolio with a `.git` folder below the workspace (a submodule's `.git` is a file)."""
    top = Path(os.path.realpath(workspace))
    folder = Path(os.path.realpath(root))
    for candidate in (folder, *folder.parents):
        if candidate == top or top not in candidate.parents:
            break
        if (candidate / ".git").is_dir():
            return candidate
    return workspace


def _codes(values: tuple[str, ...], option: str) -> tuple[str, ...]:
    from cxportfolio.model.types import rule_named

    written = [c.strip() for v in values for c in v.split(",") if c.strip()]
    for code in written:
        if not code.upper().startswith("CXP"):
            named = rule_named(code)  # `--select unknown-reference`: the name `cxportfolio rules` shows
            meant = f"; it is the name of {named}: give {option} {named}" if named else ""
            raise click.BadParameter(f"'{code}' is not a rule code prefix such as CXP1 or CXP201{meant}",
                                     param_hint=f"'{option}'")
    return tuple(written)


RANK_FORMATS = ("text", "markdown", "csv", "json")  # kept equal to RANK_RENDERERS by a test
TRACK_FORMATS = RANK_FORMATS  # = TRACK_RENDERERS (tested): the same choices, listed in the same order


@cli.command()
@PATH_ARG
@click.option("--format", "output_format", type=_Choice(RANK_FORMATS), default="text",
              show_default=True, help="Output format.")
@AS_OF
@click.option("--unit", "units", multiple=True, metavar="ID",
              help="Only this unit's initiatives (repeatable); with --by cluster, the clusters it has a member in.")
@click.option("--journey", "journeys", multiple=True, metavar="ID",
              help="Only initiatives on this journey (repeatable); with --by journey or cluster, this journey "
                   "or the clusters serving it.")
@click.option("--status", "statuses", multiple=True,
              type=_Choice(["idea", "proposed", "approved", "in_progress", "done", "dropped"]),
              help="Only these statuses (default: all but done and dropped).")
@click.option("--all", "include_closed", is_flag=True, help="Include done and dropped initiatives.")
@click.option("--top", type=_Whole(min=1), metavar="N", help="Show the first N rows.")
@click.option("--capacity", type=_Number(min=0), metavar="N",
              help="Plan: the open initiatives with the most impact fitting N person-weeks in all "
                   "(and each unit's own capacity).")
@click.option("--plan", is_flag=True,
              help="Plan within each unit's own capacity, with no overall cap.")
@click.option("--no-unit-capacity", "no_unit_capacity", is_flag=True,
              help="Plan without the units' own capacities (only --capacity).")
@click.option("--explain", metavar="ID", help="Show every term of one initiative's score.")
@click.option("--lane", "lanes", multiple=True, type=_Choice(["steering", "quick-win"]),
              help="Only the steering group's projects and programmes, or the quick-win team's "
                   "small fixes (size: quick_win).")
@STRICT_FIGURES
@click.option("--by", type=_Choice(["initiative", "journey", "cluster"]), default="initiative",
              show_default=True, help="Rank initiatives, journeys by value still unaddressed, or "
                                      "duplicated work (CXP201 clusters) by the effort consolidating it saves.")
def rank(path: Path, output_format: str, as_of: dt.date, units: tuple[str, ...], journeys: tuple[str, ...],
         statuses: tuple[str, ...], include_closed: bool, top: int | None, capacity: float | None,
         explain: str | None, lanes: tuple[str, ...], strict: bool, by: str, plan: bool,
         no_unit_capacity: bool) -> None:
    """Priority table by whole-journey impact.

    The model, its formula and weights: `cxportfolio docs ranking`.
    """
    import shutil

    from cxportfolio.analysis.rank_table import RankFilter, check_filters, journey_table, rank_table
    from cxportfolio.analysis.exclusions import exclusions
    from cxportfolio.analysis.ranking import MAY_DEFINE_UNSEEN, RANK_NOWHERE, RANK_UNREAD, RankingModel
    from cxportfolio.render import explain as explain_render
    from cxportfolio.render import rank as rank_render

    streams.require_stdout()
    if by != "initiative":
        # What shapes the initiative table means nothing here: refused, never ignored, and
        # before the portfolio is read (a usage error is one line, with no note before it).
        _refuse_with_by(by, {"--unit": units and by == "journey", "--status": statuses, "--all": include_closed,
                             "--capacity": capacity is not None, "--plan": plan,
                             "--no-unit-capacity": no_unit_capacity, "--lane": lanes,
                             "--explain": explain is not None})
    if no_unit_capacity and capacity is None:
        raise click.UsageError("--no-unit-capacity needs --capacity N")
    if capacity is not None or plan:
        # The plan is chosen among all open initiatives: with the table filtered, it would
        # fund rows the table does not show. Refused, never silently partial.
        _refuse_with("the plan (chosen among all open initiatives)", "--capacity" if capacity is not None else "--plan",
                     {"--unit": units, "--journey": journeys, "--status": statuses, "--lane": lanes,
                      "--all": include_closed, "--top": top})
    if explain is not None:  # one initiative's terms, in text or JSON
        _refuse_with("--explain", "--explain", {"--format " + output_format: output_format not in ("text", "json"),
                                                "--capacity": capacity is not None, "--plan": plan, "--top": top,
                                                "--unit": units, "--journey": journeys, "--status": statuses,
                                                "--lane": lanes, "--all": include_closed})
    run = _checked(path, as_of)
    filters = RankFilter(units, journeys, statuses, include_closed, top, lanes=lanes)
    check_filters(run.portfolio, filters)  # an unknown --unit or --journey: one line, before the note
    model = RankingModel(run.portfolio)
    score = model.scores.get(explain) if explain is not None else None
    if explain is not None and score is None:
        from cxportfolio.model.types import did_you_mean, typo_of

        gone = [i for i in exclusions(run, RANK_UNREAD).left_out if i.kind == "initiative" and i.id == explain]
        if gone:  # it exists: the figures leave it out
            from cxportfolio.render.neutral import printable

            # the file as the text output shows it: _fail folds white space, and `bad unit.yaml`
            # for `bad<LF>unit.yaml` would name another file
            raise CxpError(f"initiative '{explain}' has no score: the figures leave it out "
                           f"({gone[0].why}, {printable(gone[0].file)}); fix what `cxportfolio check` reports there")
        from cxportfolio.analysis.rank_table import name_of, nearest_ids
        from cxportfolio.model.entities import Initiative

        _explain_other_kind(run.portfolio, explain)
        title = name_of(run.portfolio, "initiative", explain, "--explain")  # a title is no id, read or not
        if not title and run.portfolio.may_define(explain, Initiative):
            # a mistake may define it unseen (a file that does not parse, an item refused, values
            # lost): not called unknown (docs/format.md, error tolerance), as --unit and --journey
            # are not. Only an id one slip from it among those read is told (DIG-07: DIG-007;
            # IT-010: IT-001): the id is most likely the unseen one, and another unit's of the
            # same number (RET-001: IT-001) or the nearest of all would send the reader to the wrong work
            from cxportfolio.render.neutral import printable

            files = sorted(run.portfolio.unreadable)
            # the plan's words for such an id: whichever mistake may define it (an item refused,
            # values lost, a definition's id refused or taken: CXP101), check says where
            where = (f"{', '.join(map(printable, files))} cannot be read and may define it; fix what "
                     "`cxportfolio check` reports there" if files else MAY_DEFINE_UNSEEN)
            typo = typo_of(explain, sorted(model.scores))
            raise CxpError(f"no initiative '{explain}' in the files read: {where}"
                           + (f"; among the files read, {typo}" if typo else ""))
        hint = title or did_you_mean(explain, sorted(model.scores), 70) or nearest_ids(explain, set(model.scores), "")
        raise CxpError(f"no initiative '{explain}'" + (f"; {hint}" if hint else ""))
    # a journey's refused name or owner, shown absent by --by journey, counts among the errors
    left = _figures_note(run, strict, RANK_UNREAD, left=exclusions(run, RANK_UNREAD, RANK_NOWHERE))
    # Text tables fit COLUMNS, else the terminal; piped or redirected (a CI log, grep), they
    # keep whole titles: no width there is anyone's.
    width = shutil.get_terminal_size((0, 0)).columns or None
    if score is not None:
        why = {pain_id: model.why_unvalued(pain_id) for pain_id in score.unvalued}
        streams.out(explain_render.explain_json(score, left, why) if output_format == "json"
                    else explain_render.explain_text(score, why), machine=output_format == "json")
        return
    if by == "journey":
        rows = [r for r in journey_table(model) if not journeys or r.id in journeys][:top]
        streams.out(rank_render.journeys([replace(r, rank=n) for n, r in enumerate(rows, 1)], output_format, width,
                                         left), machine=output_format != "text")
        return
    if by == "cluster":
        from cxportfolio.analysis.consolidation import duplicates_unchecked, opportunities
        from cxportfolio.render.clusters import clusters

        proposals = [c for c in opportunities(run.portfolio, run.result.findings)
                     if (not units or set(units) & set(c.units)) and (not journeys or set(journeys) & set(c.journeys))]
        streams.out(clusters(proposals[:top], output_format, width, left, duplicates_unchecked(run.portfolio)),
                    machine=output_format != "text")
        return
    table = rank_table(model, run.result.findings, filters, capacity, plan, not no_unit_capacity)
    if output_format == "csv":  # the CSV holds rows alone: what is said under a table goes where the notes are
        for said in rank_render.csv_notes(table):
            first = said.split(" ", 1)[0]  # a sentence's first word in a note's case; an id (CRD-001) as written
            said = said[0].lower() + said[1:] if first.isalpha() and first[1:].islower() else said
            streams.note(f"cxportfolio: note: {said}")
    streams.out(rank_render.text(table, width) if output_format == "text"
                else rank_render.json_text(table, left) if output_format == "json"
                else rank_render.RANK_RENDERERS[output_format](table), machine=output_format != "text")


def _refuse_with(what: str, option: str, given: dict[str, object]) -> None:
    named = [name for name, value in given.items() if value]
    if named:
        raise click.UsageError(f"{', '.join(named)} cannot be combined with {option}: "
                               f"{'it does' if len(named) == 1 else 'they do'} not apply to {what}")


def _refuse_with_by(by: str, given: dict[str, object]) -> None:
    named = [option for option, value in given.items() if value]
    if named:
        raise click.UsageError(f"{', '.join(named)} {'applies' if len(named) == 1 else 'apply'} to the "
                               f"initiatives' table, not to --by {by}")


@cli.command()
@PATH_ARG
@click.option("--format", "output_format", type=_Choice(TRACK_FORMATS),
              default="text", show_default=True, help="Output format.")
@AS_OF
@click.option("--year", type=_Whole(1000, 9999), metavar="YYYY",
              help="The year to track (default: the portfolio year).")
@STRICT_FIGURES
def track(path: Path, output_format: str, as_of: dt.date, year: int | None, strict: bool) -> None:
    """Annual target, pace, forecast, breakdowns and KPI trends with their reasons."""
    from cxportfolio.analysis.exclusions import by_reading
    from cxportfolio.analysis.tracking import track_readings
    from cxportfolio.analysis.tracking import track as compute
    from cxportfolio.render.track import TRACK_RENDERERS, json_text

    streams.require_stdout()
    run = _checked(path, as_of)
    tracking = compute(run.portfolio, as_of, year)
    # the counts and the effects, of the year tracked (--year's figures hold no other year's work)
    left = _figures_note(run, strict, left=by_reading(run, track_readings(as_of, tracking.target.year)))
    streams.out(json_text(tracking, left) if output_format == "json" else TRACK_RENDERERS[output_format](tracking),
                machine=output_format != "text")


@cli.command()
@PATH_ARG
@click.option("--format", "output_format", type=_Choice(["markdown", "html"]), default=None,
              help="Markdown for wikis and PR comments, or one self-contained HTML page.  [default: html for "
                   "an --out FILE ending in .html or .htm, else markdown]")
@AS_OF
@click.option("--period", metavar="PERIOD",
              help="The edition: a year (2026), quarter (2026-Q2) or month (2026-06), showing the state "
                   "at its end (or at --as-of, if earlier).")
@click.option("--out", "out", metavar="FILE",
              help="Write to FILE instead of stdout (`-`: stdout; atomically; never a file of the portfolio, "
                   "never through a symbolic link, never over a file that is not an earlier report "
                   "unchanged since: its last line, a seal, says so).")
@STRICT_FIGURES
def report(path: Path, output_format: str | None, as_of: dt.date, period: str | None, out: str | None,
           strict: bool) -> None:
    """The one-page report: target, lanes, KPI trends with reasons, decisions wanted; details after."""
    if output_format is None:  # `--out q3.html` wants the page (a newcomer got Markdown in it)
        output_format = "html" if (out or "").lower().endswith((".html", ".htm")) else "markdown"
    from cxportfolio.analysis.report_data import build_report, check_period_written
    from cxportfolio.render.report import REPORT_RENDERERS
    from cxportfolio.writing import STANDARD_OUTPUT, as_written, missing_folder, named_file

    out_file = None if out in (None, STANDARD_OUTPUT) else named_file(
        out, "--out", "report.md" if output_format == "markdown" else "report.html")
    if out_file is not None and as_written(out_file) != out_file:
        out_file = as_written(out_file)  # named as written: `wrote lnk/../r.md` named another file
        out = str(out_file)
    if out_file is None:
        streams.require_stdout()
    if period is not None:  # refused before the portfolio is read: one line, no note before it
        check_period_written(period)
    run = _checked(path, as_of)
    # where it may write, before any note: a refusal is one line (the root is the run's)
    target = None if out_file is None else _report_target(out_file, run.loaded.root, output_format)
    if target is not None and not target.parent.is_dir():  # as check --output says it (outputs.ready)
        raise missing_folder(f"--out {out}", out_file.parent)
    data = build_report(run, as_of, period)  # a period of another year, or not begun, refused before the note
    if target is None or strict:  # --strict refuses before anything is written
        _figures_note(run, strict, left=data.excluded)  # the lanes read as rank, the rest as track
    text = REPORT_RENDERERS[output_format](data)
    if target is None:
        streams.out(text, machine=True)  # Markdown or HTML: a document, in UTF-8
    else:
        from cxportfolio.writing import write_atomically

        write_atomically(target, text)  # a failure (a full disk) is then the one line on exit 2
        streams.out(f"wrote {out}\n", optional=True)
        if not strict:
            _figures_note(run, strict, left=data.excluded)


def _report_target(out: Path, root: Path, output_format: str) -> Path:
    """Where `report --out` and `check --output` may write: never a portfolio document or
    cxportfolio.yaml (a YAML file anywhere in the portfolio), never through a symbolic
    link, never over a file that is not an earlier output of the same format. An earlier
    output is replaced, atomically."""
    from cxportfolio.load.portfolio_files import DOCUMENT_SUFFIXES
    from cxportfolio.writing import safe_target, why_not_replaced

    target = safe_target(out)
    real = Path(os.path.realpath(target.parent)) / target.name
    real_root = Path(os.path.realpath(root))
    if (real == real_root or real_root in real.parents) and target.name.lower().endswith(DOCUMENT_SUFFIXES):
        raise CxpError(f"{out}: lies in the portfolio, where a YAML file is a portfolio document "
                       "(or its configuration); refusing to write there")
    refusal = why_not_replaced(target, output_format)
    if refusal is not None:
        raise CxpError(f"{out}: {refusal}")
    return target


@cli.command(short_help="What a change does: entities, findings, rank moves, forecast.")
@click.argument("arguments", nargs=-1, metavar="[PATH]")
@click.option("--base", "base_ref", metavar="REF", help="The git ref to compare from (e.g. origin/main).")
@click.option("--head", "head_ref", metavar="REF", help="The git ref to compare to (default: the working tree).")
@click.option("--base-dir", type=click.Path(file_okay=False, readable=False, path_type=Path), metavar="DIR",
              help="Compare from this portfolio directory instead of a git ref.")
@click.option("--head-dir", type=click.Path(file_okay=False, readable=False, path_type=Path), metavar="DIR",
              help="Compare to this portfolio directory instead of a git ref or the working tree.")
@click.option("--path", "legacy_path", type=click.Path(path_type=Path), hidden=True,
              help="PATH, in the earlier form `diff BASE [HEAD] --path DIR`.")
@click.option("--format", "output_format", type=_Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="Output format; markdown is ready to post as a PR comment.")
@AS_OF
@click.option("--top", type=_Whole(min=1), metavar="N", default=10, show_default=True,
              help="Report initiatives entering or leaving the top N.")
@click.option("--moved", type=_Whole(min=1), metavar="N", default=3, show_default=True,
              help="Report initiatives moving by N places or more.")
def diff(arguments: tuple[str, ...], base_ref: str | None, head_ref: str | None, base_dir: Path | None,
         head_dir: Path | None, legacy_path: Path | None, output_format: str, as_of: dt.date, top: int,
         moved: int) -> None:
    """Compare the portfolio at PATH between two git refs, or two portfolio directories.

    \b
      cxportfolio diff --base origin/main               the working tree against a ref
      cxportfolio diff PATH --base REF [--head REF]     the portfolio at PATH, between refs
      cxportfolio diff --base-dir OLD [--head-dir NEW]  directories, named as such

    PATH is found as for every command (the portfolio you are in, or the only one below).
    --base and --head are only ever git refs, never read as directories, so a change cannot
    pose as the base by adding a folder named like it (`origin/main/`). The earlier form
    `diff BASE [HEAD] [--path DIR]` still works for refs; a folder that is no ref is PATH.
    Exit 1 when the change adds error-level findings, so the command can gate a pull
    request too.
    """
    import tempfile

    from cxportfolio.analysis.change import FIGURES_UNREAD, compare
    from cxportfolio.load.portfolio_files import resolve_root
    from cxportfolio.model.finding import Severity
    from cxportfolio.render.diff import DIFF_RENDERERS, DiffPaths

    streams.require_stdout()
    base, head, given_path = _diff_arguments(arguments, base_ref, head_ref, legacy_path)
    if given_path is not None:
        _refuse_inside(given_path, "give {root} as PATH (or none, from inside it)")
    # A side is named as it was given: `--base REF`, or BASE in the earlier form `diff BASE`
    said = {"BASE": "--base" if base_ref is not None else "BASE", "HEAD": "--head" if head_ref is not None else "HEAD"}
    for name, ref, directory in (("BASE", base, base_dir), ("HEAD", head, head_dir)):
        if ref is not None and directory is not None:
            option = f"--{name.lower()}-dir"
            either = (f"{said[name]} REF or {option} DIR" if said[name].startswith("--")
                      else f"{name} as a git ref or as {option} DIR")
            raise CxpError(f"give {either}, not both")
    if base is None and base_dir is None:
        if given_path is not None:  # `diff agency`: PATH given, the base not
            raise CxpError(f"diff {_shown(given_path)}: give the base to compare with, as --base REF (a git ref) "
                           "or --base-dir DIR")
        raise CxpError("diff needs BASE: --base REF (a git ref, e.g. origin/main) or --base-dir DIR")
    if given_path is not None and base_dir is not None and head_dir is not None:
        raise CxpError(f"diff {_shown(given_path)}: PATH is not read when both sides are directories "
                       "(--base-dir and --head-dir); leave it out")
    needs_path = base_dir is None or head_dir is None  # a ref is read where the portfolio lies
    path = given_path if given_path is not None or not needs_path else _discovered()
    with tempfile.TemporaryDirectory(prefix="cxportfolio-diff-") as tmp:
        def resolve(ref: str | None, directory: Path | None, name: str) -> Path:
            if directory is not None:  # refused as the option it was given as
                resolve_root(directory, given_as=f"--{name.lower()}-dir")
                return directory
            assert path is not None  # needs_path
            if ref is None:
                return path
            return _tree_at_ref(ref, name, path, Path(tmp) / name.lower(), said[name])

        from cxportfolio.engine import run_check

        from cxportfolio.baseline import PortfolioAbsent

        base_run: CheckRun | None = None
        added: PortfolioAbsent | None = None
        try:
            base_run = _checked(resolve(base, base_dir, "BASE"), as_of)
        except PortfolioAbsent as absent:  # the change adds the portfolio: all of it is new
            added = absent
        # The head is checked against the base's rules too: what the change weakens is a
        # new finding (CXP004), so a diff never passes over a configuration change.
        head_root = resolve(head, head_dir, "HEAD")
        head_run = run_check(head_root, as_of, base_rules=base_run.portfolio.rules if base_run is not None else None)
        if head_run.portfolio.config is None and base_run is not None and base_run.portfolio.config is not None:
            # The head's cxportfolio.yaml cannot be used (its CXP001 is new): its settings are
            # unknown, so the rest is compared under the base's, not under the defaults — a
            # rule the base turns off must not come back as new findings.
            head_run = run_check(head_root, as_of, base_rules=base_run.portfolio.rules, config_from_base=True)
    if added is not None:  # said once nothing can fail: exit 2 is one line
        click.echo(f"cxportfolio: note: {added}: everything in it is new", err=True)
    change = compare(base_run, head_run, as_of, top, moved)
    # the head's forecast and ranks leave out what its errors hide; a ref's copy is named by its
    # folder in the working tree and the ref
    _figures_note(head_run, strict=False, unread=FIGURES_UNREAD,
                  at_ref=(_named_root(head_dir, path), head) if head_dir is None and head is not None else None)
    # Named as `check` names them; a ref's tree is a temporary copy of the files at PATH. The
    # Markdown is a PR comment: in CI, named from the checkout as the job summary names them
    # (from a step's `working-directory:` it said `../units/x.yaml`, nothing on the PR's page).
    comment = output_format == "markdown"
    (head_prefix, head_inside), (base_prefix, base_inside) = (
        _paths_from(_named_root(side, path), output_format, read_in_ci=comment) for side in (head_dir, base_dir))
    paths = DiffPaths(head=head_prefix, base=base_prefix, head_inside=head_inside, base_inside=base_inside)
    streams.out(DIFF_RENDERERS[output_format](change, paths), machine=output_format != "text")
    sys.exit(1 if any(f.severity is Severity.ERROR for f in change.new_findings) else 0)


def _explain_other_kind(portfolio: Portfolio, ident: str) -> None:
    """`rank --explain PP-black-hole`: the id of a pain point (a KPI, a unit, a journey),
    whose value only the initiatives on it show, was told "nearest: CS-001, CS-002"."""
    from cxportfolio.model.entities import Journey, Kpi, PainPoint, Unit

    entity = portfolio.by_id.get(ident)
    if isinstance(entity, (Unit, Journey)):
        said = f"`cxportfolio rank --{entity.label} {ident}` lists its initiatives"
    elif isinstance(entity, (PainPoint, Kpi)):
        pain = isinstance(entity, PainPoint)
        work = sorted({i.id for i in portfolio.work_on(ident)} if pain
                      else {i.id for i, _ in portfolio.effects_on.get(ident, ())})
        said = (f"the initiatives {'addressing it' if pain else 'with an effect on it'}: {_some(work)}" if work
                else f"no initiative {'addresses it' if pain else 'has an effect on it'}")
    else:
        return
    raise CxpError(f"'{ident}' is a {entity.label}, not an initiative: --explain takes an initiative's id; {said}")


def _some(ids: list[str], most: int = 5) -> str:
    return ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _named_root(directory: Path | None, path: Path | None) -> Path:
    """Where one side of a diff lies: its directory, else PATH (the working tree, or where
    the files read at a ref lie in the repository)."""
    root = directory if directory is not None else path
    assert root is not None  # diff needs PATH unless both sides are directories
    return _folder_of(root)


def _folder_of(path: Path) -> Path:
    """The portfolio folder PATH names: PATH may name its cxportfolio.yaml."""
    from cxportfolio.load.portfolio_files import CONFIG_NAME

    return path.parent if path.name == CONFIG_NAME and path.is_file() else path


def _diff_arguments(arguments: tuple[str, ...], base_ref: str | None, head_ref: str | None,
                    legacy_path: Path | None) -> tuple[str | None, str | None, Path | None]:
    """BASE, HEAD and PATH from either form: with --base/--head the one argument is PATH, as
    for every command; without them, one argument that names a folder and no git ref is PATH
    too (`diff agency`, `diff agency --base-dir pilot`); else the arguments are BASE [HEAD]
    (the earlier form)."""
    if base_ref is not None or head_ref is not None:
        if len(arguments) > 1 or (arguments and legacy_path is not None):
            raise CxpError("diff takes one PATH; give the refs as --base REF and --head REF")
        return base_ref, head_ref, Path(arguments[0]) if arguments else legacy_path
    if len(arguments) > 2:
        raise CxpError("diff takes one PATH; give the refs as --base REF and --head REF")
    if len(arguments) == 1 and legacy_path is None and _names_folder_not_ref(arguments[0]):
        return None, None, Path(arguments[0])
    base, head = (*arguments, None, None)[:2]
    if head is not None and base is not None and legacy_path is None and _names_folder_not_ref(head, portfolio=True):
        # `diff origin/main portfolios/x` meant the portfolio there, as every command takes PATH
        if _names_folder_not_ref(base):  # `diff old new`: two folders
            raise CxpError(f"'{base}' and '{head}' are folders, not git refs: write "
                           f"`cxportfolio diff --base-dir {_shown(Path(base))} --head-dir {_shown(Path(head))}`")
        raise CxpError(f"'{head}' is a portfolio folder, not a git ref: write "
                       f"`cxportfolio diff {_shown(head)} --base {_shown(base)}`")
    return base, head, legacy_path


def _names_folder_not_ref(argument: str, portfolio: bool = False) -> bool:
    """Whether `argument` names a folder (or a cxportfolio.yaml) and no git ref: PATH, not
    BASE or HEAD; `portfolio`: a portfolio's folder only. A name that is both stays a ref,
    which _tree_at_ref then refuses (a folder must not pose as the ref)."""
    from cxportfolio.baseline import resolve_commit
    from cxportfolio.load.portfolio_files import CONFIG_NAME

    folder = _folder_of(Path(argument))
    if argument.startswith("-") or not folder.is_dir() or portfolio and not os.path.lexists(folder / CONFIG_NAME):
        return False
    try:
        return resolve_commit(argument, folder) is None
    except CxpError:  # not inside a git repository: no ref at all
        return True


def _shown(path: Path | str) -> str:
    """A path (or a ref, a str) as a message quotes it in a command line (neutral.shell_argument)."""
    from cxportfolio.render.neutral import shell_argument

    return shell_argument(path)


def _tree_at_ref(ref: str, name: str, root: Path, into: Path, said: str) -> Path:
    """The portfolio at a git ref, copied into `into`; a ref is never read as a directory.
    `said` names the side as the user gave it (`--base`, or BASE)."""
    from cxportfolio.baseline import checkout_at, not_a_commit, resolve_commit

    option = f"--{name.lower()}-dir"
    root = _folder_of(root)
    is_dir = os.path.isdir(ref)
    if resolve_commit(ref, root) is None:
        hint = f"; to compare with the directory {ref}, use {option} {ref}" if is_dir else ""
        raise CxpError(f"{said} {not_a_commit(ref, root)}{hint}")
    if is_dir:
        raise CxpError(f"{said} '{ref}' names both a git ref and a directory: refused, as a directory could "
                       f"pose as the ref; rename or remove the directory, or use {option} to compare it")
    return checkout_at(ref, root, into)


@cli.command(short_help="Print or write the JSON Schemas of the file format.")
@click.option("--kind", type=_Choice(["portfolio", "config"]), default="portfolio",
              show_default=True, help="Which schema to print.")
# a str, not a Path: click makes '' the Path '.', and an empty --write wrote into the
# current folder
@click.option("--write", "directory", type=click.Path(file_okay=False),
              help="Write both schemas into this directory instead of printing one "
                   "(atomically; never through a symbolic link, never over a file that is not a "
                   "schema cxportfolio wrote).")
def schema(kind: str, directory: str | None) -> None:
    """Print or write the JSON Schemas (draft 2020-12) of the file format.

    Editors with the YAML language server use them for completion and inline errors:
    start a file with `# yaml-language-server: $schema=<path>/portfolio.schema.json`.
    """
    from cxportfolio.schema import render_schema, write_schemas
    from cxportfolio.writing import as_written

    if directory is None:
        streams.require_stdout()
        streams.out(render_schema(kind), machine=True)
        return
    if not directory:
        raise CxpError("--write '' names no folder; give one such as schemas/ (or . for this folder)")
    for written in write_schemas(as_written(Path(directory))):
        streams.out(f"wrote {written}\n", optional=True)


# The years a scaffold may be for: its KPI baseline is the year before (model.types:
# YEAR_MIN + 1 … YEAR_MAX, kept equal by a test; the model is not imported to start fast).
INIT_YEARS = (1901, 2999)


@cli.command(short_help="Scaffold a new portfolio that passes `check`.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".",
                required=False)
@click.option("--organization", default="My organization", show_default=True)
@click.option("--year", type=_Whole(*INIT_YEARS), metavar="YYYY", default=None,
              help="The portfolio year (default: the current year).")
@click.option("--force", is_flag=True,
              help="Write into a directory that is not empty (never replacing a file of other "
                   "content, never through a symbolic link).")
def init(directory: Path, organization: str, year: int | None, force: bool) -> None:
    """Scaffold a new portfolio in DIRECTORY that passes `check` at once.

    DIRECTORY must be empty (a `.git` folder aside) unless --force is given, and not inside
    another portfolio.
    """
    from cxportfolio.scaffold import scaffold
    from cxportfolio.writing import as_written

    directory = as_written(directory)  # its files, and the check it says to run next, are named as written
    if not organization.strip():
        raise click.BadParameter("give the organization's name", param_hint="--organization")
    from cxportfolio.load.discovery import portfolio_above

    # a portfolio inside another is read as the other's documents (its cxportfolio.yaml a
    # document with unknown keys): refused, whatever --force says
    outer = portfolio_above(Path(os.path.abspath(directory)).parent)
    if outer is not None:
        shown = str(outer) if directory.is_absolute() else os.path.relpath(outer)
        raise CxpError(f"{directory} is inside the portfolio {shown}, which would read the new one's files as its "
                       "own: start the new portfolio in a folder outside it")
    for written in scaffold(directory, organization, year or dt.date.today().year, force):
        streams.out(f"wrote {written}\n", optional=True)
    streams.out(f"Next: edit the files, then run `cxportfolio check {_shown(directory)}`.\n", optional=True)


def _rule_codes(_: click.Context, __: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of `rules CODE`: the codes, or the names `rules` takes as well
    (`unknown-<Tab>`), starting with what is typed."""
    from cxportfolio.model.types import RULE_CODES_BY_NAME
    from cxportfolio.rules import REGISTRY

    return [code for code in sorted(REGISTRY) if code.startswith(incomplete.upper())] + [
        name for name in sorted(RULE_CODES_BY_NAME) if name.startswith(incomplete.casefold())]


def _doc_topics(_: click.Context, __: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of `docs TOPIC`: the pages starting with what is typed."""
    from cxportfolio.docs import doc_pages

    return [name for name in doc_pages() if name.startswith(incomplete.lower())]


@cli.command(short_help="List the rules, or explain one.")
@click.argument("code", required=False, shell_complete=_rule_codes)
@click.option("--markdown", is_flag=True, help="Print the whole catalogue as Markdown (`cxportfolio docs rules`).")
def rules(code: str | None, markdown: bool) -> None:
    """List the rules, or explain one by its code or name (e.g. `cxportfolio rules CXP102`, or
    `cxportfolio rules unknown-reference`); a code's prefix (`CXP4`) lists the rules it names."""
    from cxportfolio.docs import rule_markdown, rules_markdown
    from cxportfolio.rules import REGISTRY

    streams.require_stdout()
    if markdown:
        streams.out(rules_markdown(), machine=True)  # the catalogue, as a document
        return
    if code:
        from cxportfolio.model.types import RULE_CODES_BY_NAME, did_you_mean, rule_named

        # by its code, or by its name as the list shows it beside the code (`unknown-reference`)
        rule = REGISTRY.get(code.upper()) or REGISTRY.get(rule_named(code) or "")
        # a prefix, as --select takes it (`CXP4`): the rules it names, as the list shows them
        family = [r for c, r in sorted(REGISTRY.items()) if c.startswith(code.upper())] \
            if rule is None and re.fullmatch(r"CXP[0-9]{0,2}", code.upper()) else []
        if family:
            _list_rules(family)
            return
        if rule is None:
            hint = did_you_mean(code.upper(), sorted(REGISTRY)) or did_you_mean(code, sorted(RULE_CODES_BY_NAME))
            what = "rule code" if code.upper().startswith("CXP") else "rule name"  # as the list shows both
            raise CxpError(f"unknown {what} {code}; {hint + ' ' if hint else ''}`cxportfolio rules` lists them")
        streams.out(rule_markdown(rule))
        return
    _list_rules(sorted(REGISTRY.values(), key=lambda r: r.code))


def _list_rules(listed: list[Rule]) -> None:
    for rule in listed:
        streams.out(f"{rule.code}  {rule.name:<22} {rule.severity.value:<8} {rule.summary}\n")


@cli.command(short_help="Print a page of the documentation: ranking, format, ci, ...")
@click.argument("topic", required=False, shell_complete=_doc_topics)
def docs(topic: str | None) -> None:
    """Print a page of the documentation (Markdown), or list the pages.

    They are the pages of the repository's documentation folder, installed with the
    package: `cxportfolio docs ranking` explains the ranking model, `cxportfolio docs
    format` the file format.
    """
    from cxportfolio.docs import doc_page, doc_pages, doc_title

    streams.require_stdout()
    if topic:
        streams.out(doc_page(topic))
        return
    for name, page in doc_pages().items():
        streams.out(f"{name:<12} {doc_title(page)}\n")


@cli.command(short_help="Run the language server for editors (stdio).")
@click.option("--as-of", metavar="YYYY-MM-DD", callback=lambda ctx, p, v: _as_of(ctx, p, v) if v else None,
              help="The date to treat as today (default: the day of each check).")
@click.option("--stdio", is_flag=True,
              help="Serve on stdin and stdout, as it always does: accepted, as editors' clients built on "
                   "vscode-languageclient add it to the command.")
def lsp(as_of: dt.date | None, stdio: bool) -> None:
    """Serve the Language Server Protocol on stdin/stdout: diagnostics as you type,
    definition, references, hover, completion, rename and quick fixes for the portfolio
    holding each opened file (`cxportfolio docs editor`). Needs the `lsp` extra: in a
    checkout, pip install '.[lsp]'."""
    try:
        from cxportfolio.lsp.server import serve  # pygls only here: an optional dependency
    except ImportError as err:
        from importlib.util import find_spec

        # pygls first: the server imports cattrs before it, and the extra installs the other two with it
        missing = next((name for name in ("pygls", "lsprotocol", "cattrs") if find_spec(name) is None), err.name)
        # cxportfolio is installed from a checkout or git (docs/editor.md), never from an index:
        # a bare `pip install cxportfolio[lsp]` would ask PyPI for a project of that name
        raise CxpError(f"the language server needs cxportfolio's `lsp` extra ({missing} is not installed): "
                       "pip install '.[lsp]' in a checkout, or 'cxportfolio[lsp] @ git+<repository>@<commit-or-tag>' "
                       "(cxportfolio docs editor)") from None
    streams.require_stdout()
    sys.exit(serve(as_of))


def main() -> None:
    # The console command's entry point (in-process use goes through `cli`, which leaves
    # the interpreter as it was). cxportfolio's models use no pydantic plugin, and looking
    # for plugins reads the metadata of every installed package as the first model is
    # built: a tenth of a small check's start-up. A user's own setting wins. Even then
    # pydantic imports importlib.metadata to look for them (plugin_lookup.py).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    from cxportfolio.plugin_lookup import skip_plugin_lookup

    skip_plugin_lookup()
    # Registered first, so it runs after every other exit handler: the interpreter's last
    # garbage collection would walk every object the command built (a tenth of a second
    # of a small check) only for the system to free the memory anyway. Frozen objects are
    # left out of it; nothing runs after it but the interpreter's own teardown.
    atexit.register(gc.freeze)
    from cxportfolio.processes import console_command

    console_command()
    # Every write to stdout and stderr, click's help too, fails as an OutputError: one line
    # and exit 2, or 141 quietly for a reader gone (`| head`); the last flush is ours too.
    streams.guard()
    try:
        cli(prog_name="cxportfolio")
        code: Any = 0
    except SystemExit as done:
        code = done.code
    except streams.OutputError as err:  # click's own report (`cxportfolio` alone 2>/dev/full)
        streams.failed(err)
    except KeyboardInterrupt:  # between click's parsing and the command (invoke says it itself)
        _fail("interrupted", streams.INTERRUPTED)
    streams.finish(code if isinstance(code, int) else 0 if code is None else 2)
