"""What the figures of `rank`, `track` and `report` leave out when the portfolio has errors.

They compute with `Portfolio.for_figures`: no entity with a refused value the command
reads (rank and track name what they never read; the report's lanes read what rank reads,
the rest of it what track reads), one definition of an id defined twice
(`Portfolio.by_id`), nothing from a file that could not be read. A steering group must know that before it reads a figure, so the commands say it
on stderr (and the report in a banner), and `--strict` refuses to give figures at all
(exit 1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from cxportfolio.engine import CheckRun
from cxportfolio.model.finding import Finding
from cxportfolio.model.entities import Entity, Initiative, Journey, PainPoint
from cxportfolio.model.portfolio import Portfolio, Unread, reads_refused, unread_by_all
from cxportfolio.model.types import id_excerpt
from cxportfolio.model.validate import MERGED_ITEM
from cxportfolio.records import record
from cxportfolio.render.neutral import one_line, path_text, printable
from cxportfolio.render.text import noun, plural
from cxportfolio.rules.base import named

# Why a done initiative without `completed:` is in no figure of track's: the done count,
# its breakdowns and the forecast all go by the date it was completed.
UNDATED_DONE = "done without a `completed:` date"
# Why a pain point on a stage its journey does not have (CXP103) is in no figure that reads
# stages: rank values it by the customers reaching its stage, so it is worth nothing there.
OFF_STAGE = "a stage its journey does not have"
OFF_JOURNEY = "a journey that is not known"  # CXP102: no customers reaching it (rank), no row (track)
SHOWN = 5  # names in the one-line note; the report's details list them all
REFUSED = "a value refused"  # why an entity is left out when a value the figures read is refused
NO_ID = "without an id"  # the id of an entity refused before its id was read


@record
class LeftOut:
    kind: str  # "initiative", "unit", …
    id: str
    file: str
    why: str  # "a value refused" | "refused" | "id defined twice" | "under 'units'" (another kind's list)
    #          | UNDATED_DONE | OFF_STAGE | OFF_JOURNEY
    # Which figures leave it out when an output's parts read differently (track's, the
    # report's: by_reading): "" all of them, else e.g. "from the lanes only"
    where: str = ""

    @property
    def named(self) -> str:
        """The id as the one-line note names it; with its file when the id is defined twice:
        the figures keep the other definition, shown under the same id."""
        return one_line(self.id) + (f" in {printable(self.file)}" if self.why == "id defined twice" else "")


@record
class Exclusions:
    errors: int
    unreadable: tuple[str, ...]  # files whose content is unknown (config included)
    left_out: tuple[LeftOut, ...]
    # Said after the summary when parts of the figures read differently (the report's):
    # which entities only some of them leave out
    readings: str = ""
    # What leaves them out: the figures, or the one part of them that leaves out every
    # entity listed ("the KPIs' figures": by_reading)
    figures: str = "the figures"
    # The portfolio's errors, those the figures rest on (`errors`) among them: the note
    # counts these, so that it agrees with `check` (a misspelt stage name is no error of
    # rank's figures, but one of the portfolio's)
    all_errors: int = 0

    @property
    def honest(self) -> bool:
        """Nothing to say: no error, so the figures rest on the whole portfolio."""
        return self.errors == 0

    def document(self) -> dict[str, object]:
        """The JSON outputs' `excluded` (rank's and track's): what the figures rest on,
        for a reader that does not see the note on stderr. A file name that is not UTF-8 as
        `\\xNN` (`path_text`): JSON holds only UTF-8."""
        return {"errors": self.errors, "unreadable": [path_text(f) for f in self.unreadable],
                # `where` only when some figures keep the entity (track's count: by_reading)
                "entities": [{"kind": i.kind, "id": i.id, "file": i.file, "why": i.why,
                              **({"where": i.where} if i.where else {})} for i in self.left_out]}

    def counts(self) -> dict[str, int]:
        """Left-out entities by kind, e.g. {"initiative": 5, "unit": 1}."""
        counts: dict[str, int] = {}
        for item in self.left_out:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        return dict(sorted(counts.items()))

    def summary(self) -> str:
        """One sentence, neutral text: what the figures leave out."""
        if self.honest:
            return ""
        parts = []
        if self.left_out:
            shown = _named(self.left_out)
            names = ", ".join(name for name, _ in shown[:SHOWN])
            rest = len(self.left_out) - sum(n for _, n in shown[:SHOWN])
            more = f" and {rest} more" if rest else ""
            counted = ", ".join(plural(n, kind) for kind, n in self.counts().items())
            parts.append(f"{counted} ({names}{more})")
        if self.unreadable:
            files = ", ".join(printable(f) for f in self.unreadable[:SHOWN])
            more = f" and {len(self.unreadable) - SHOWN} more" if len(self.unreadable) > SHOWN else ""
            verb = "defines" if len(self.unreadable) == 1 else "define"
            parts.append(f"whatever the unreadable {noun(len(self.unreadable), 'file')} {files}{more} {verb}")
        excluded = " and ".join(parts) if parts else "no entity, but may be wrong where the errors are"
        return f"the portfolio has {self.errors_said()}; {self.figures} leave out {excluded}" + (
            f"; {self.readings}" if self.readings else "")


    def errors_said(self) -> str:
        """"2 errors", or "3 errors (2 that these figures may rest on)" when some are not."""
        if self.all_errors <= self.errors:
            return plural(self.errors, "error")
        return f"{plural(self.all_errors, 'error')} ({self.errors} that these figures may rest on)"


def _named(left_out: Sequence[LeftOut]) -> list[tuple[str, int]]:
    """The note's names and how many entities each stands for: the ids, then those without
    one by kind ("a unit without an id", "2 KPIs without an id"), so that no name repeats;
    only "without an id" when no entity has one and all are of one kind (its count says it)."""
    unnamed: dict[str, int] = {}
    for item in left_out:
        if item.id == NO_ID:
            unnamed[item.kind] = unnamed.get(item.kind, 0) + 1
    if len(unnamed) == 1 and sum(unnamed.values()) == len(left_out):
        return [(NO_ID, len(left_out))]
    return [*((item.named, 1) for item in left_out if item.id != NO_ID),
            *((f"{_one(kind) if n == 1 else n} {noun(n, kind)} {NO_ID}", n) for kind, n in unnamed.items())]


def _one(kind: str) -> str:
    """The article of a kind's name: "an initiative", "a unit", "a KPI", "a pain point"."""
    return "an" if kind[0] in "aeio" else "a"


def _why_refused(label: str, pointer: tuple) -> str:
    """"refused", or where it stood when that was another kind's list (validate._strays)."""
    from cxportfolio.model.entities import LIST_KEY_OF_LABEL

    key = LIST_KEY_OF_LABEL.get(label)
    return f"under '{pointer[0]}'" if pointer and key is not None and pointer[0] != key else "refused"


# Whether figures read an entity's values at all (track's effect figures: done work's only).
Reads = Callable[[Entity], bool]
# A part of an output (by_reading): its name, what it never reads, and whose values it reads
# at all (None: every entity's).
Reading = tuple[str, Unread, Reads | None]


def exclusions(run: CheckRun, unread: Unread | None = None, rests_on: Unread | None = None,
               unread_entity: Reads | None = None) -> Exclusions:
    """What figures computed with `run.portfolio.for_figures(unread)` leave out (with no
    `unread`, every entity with a refused value). `rests_on`: what the output never reads
    at all, when it shows more than its figures read (the report: a KPI's unit beside
    track's figures); the errors are counted with it (by default, `unread`).
    `unread_entity`: whether the figures read none of an entity's values whatever its
    refused ones (open work, for track's effect figures): it is not left out for them, nor
    its CXP002 counted."""
    portfolio = run.portfolio
    # figures that read `completed` count done work by the year it was completed in
    reads_completed = "completed" not in (unread or {}).get(Initiative, frozenset())
    unreadable = ([] if run.loaded.config.readable else [run.loaded.config.path]) + list(portfolio.unreadable)
    left: list[LeftOut] = []
    reads_stage = "stage" not in (unread or {}).get(PainPoint, frozenset())
    # track reads a pain point's journey (done work by journey) but no stage
    reads_journey = "journey" not in (unread or {}).get(PainPoint, frozenset())
    figures = portfolio.for_figures(unread or {})
    places: dict[int, dict[str, int]] = {}  # each journey's stages, read once
    for entity in portfolio.entities:
        if unread_entity and unread_entity(entity):
            continue  # the figures read none of its values (open work, for the effect figures)
        if reads_refused(entity, unread or {}):
            left.append(LeftOut(entity.label, id_excerpt(entity.id) if entity.id else NO_ID,
                                entity.origin.file, REFUSED))
        elif figures.get(entity.id, type(entity)) is not entity:  # another of its kind is the one
            # (the figures' choice: of an id defined twice, one whose value they read is
            # refused is not theirs, so they keep the other)
            left.append(LeftOut(entity.label, entity.id, entity.origin.file, "id defined twice"))
        elif reads_completed and isinstance(entity, Initiative) and entity.undated:  # CXP105: in no year's count
            left.append(LeftOut(entity.label, entity.id, entity.origin.file, UNDATED_DONE))
        elif isinstance(entity, PainPoint) and reads_journey and (
                off := _off_its_journey(entity, portfolio, figures, places, reads_stage)):
            left.append(LeftOut(entity.label, entity.id, entity.origin.file, off))
    for ident, places in portfolio.invalid_ids.items():
        left.extend(LeftOut(label, id_excerpt(ident), origin.file, _why_refused(label, origin.pointer))
                    for label, origin in places)
    # the refused initiatives named elsewhere, file by file: by their ids, or as strays
    # without one (an initiative whose item repeats `id:` is not among the refused)
    named: dict[str, int] = {}
    for places in portfolio.invalid_ids.values():
        for label, origin in places:
            named[origin.file] = named.get(origin.file, 0) + (label == "initiative")
    for file, kind, _, why in portfolio.lost_values:
        named[file] = named.get(file, 0) + (kind == "initiative" and why != MERGED_ITEM)
    left.extend(LeftOut("initiative", NO_ID, file, "refused")  # refused before an id was read
                for file, refused in sorted(portfolio.invalid_initiatives_in.items())
                for _ in range(refused - named.get(file, 0)))
    # lists under a misspelled top-level key, values a repeated key replaced, items of other
    # kinds refused without an id, entities whose item repeats `id:`: whatever they defined
    # is not in the figures
    left.extend(LeftOut(kind, name, file, why) for file, kind, name, why in portfolio.lost_values)
    left.sort(key=lambda i: (i.kind, i.id, i.file))
    return Exclusions(_errors_figures_rest_on(run, (unread if rests_on is None else rests_on) or {}, unread_entity),
                      tuple(sorted(unreadable)), tuple(left), all_errors=_all_errors(run))


def by_reading(run: CheckRun, readings: Sequence[Reading], rests_on: Unread | None = None) -> Exclusions:
    """What an output whose parts read the portfolio differently leaves out (`readings`:
    each part's name, what it never reads, and whose values it reads at all): what any
    part leaves out (why as a part that leaves it out says), each entity that only
    some parts leave out said so — in its `where` ("from the lanes only") and in a
    sentence after the summary ("only the lanes leave out CRD-002")."""
    parts = [(name, exclusions(run, unread,
                               unread_entity=None if reads is None else (lambda e, reads=reads: not reads(e))))
             for name, unread, reads in readings]
    first: dict[tuple[str, str, str, int], LeftOut] = {}
    for _, part in parts:
        for key, item in _keyed(part.left_out):
            # a refused value is the reason to give (two definitions of an id in one file
            # share a key: the one refused is the one to correct), then the first part's
            if key not in first or (item.why == REFUSED and first[key].why != REFUSED):
                first[key] = item
    leaving = [(name, {key for key, _ in _keyed(part.left_out)}) for name, part in parts]
    entity_of = {(e.label, e.id, e.origin.file): e for e in run.portfolio.entities}
    items, only = [], {}
    for key in sorted(first):
        item = first[key]
        names = tuple(name for name, keys in leaving if key in keys)
        # "only" where a part that reads the entity keeps it: one that reads none of its
        # values (open work, for track's effect figures) neither keeps nor leaves it out
        entity = entity_of.get(key[:3])
        if len(names) < sum(reads is None or entity is None or reads(entity) for _, _, reads in readings):
            item = replace(item, where=f"from {named(list(names), and_last=True)} only")
            only.setdefault(names, []).append(item.id)
        items.append(item)

    def read_by_none(entity: Entity) -> bool:  # no part reads, nor the output shows, a refused value of it
        return not any((reads is None or reads(entity)) and reads_refused(entity, unread)
                       for _, unread, reads in readings) and not (
            rests_on and _shown_refused(entity, readings, rests_on))

    shown = rests_on or unread_by_all(*(unread for _, unread, _ in readings))
    errors = _errors_figures_rest_on(run, shown, read_by_none)
    left = Exclusions(errors, parts[0][1].unreadable, tuple(items), all_errors=_all_errors(run))
    order = [name for name, _, _ in readings]  # the parts' sentences in the output's order
    said = sorted(only.items(), key=lambda part: [order.index(name) for name in part[0]])
    if len(said) == 1 and len(said[0][1]) == len(items) and not left.unreadable:
        # one part leaves out all that is left out: it is named in place of "the figures"
        return replace(left, figures=named(list(said[0][0]), and_last=True))
    return replace(left, readings="; ".join(
        f"only {named(list(names), and_last=True)} leave out {named(ids, most=3)}" for names, ids in said))


def _keyed(left_out: Sequence[LeftOut]) -> list[tuple[tuple[str, str, str, int], LeftOut]]:
    """Each item with the key that finds it in another part's list: kind, id, file and how
    many before it share those (two initiatives refused without an id in one file are two)."""
    seen: dict[tuple[str, str, str], int] = {}
    keyed = []
    for item in left_out:
        name = (item.kind, item.id, item.file)
        seen[name] = seen.get(name, -1) + 1
        keyed.append(((*name, seen[name]), item))
    return keyed


def _shown_refused(entity: Entity, readings: Sequence[Reading], rests_on: Unread) -> bool:
    """Whether the output shows, beside its parts' figures, a value refused in the entity
    that no part reads (a KPI's target, in the report). One some part reads is that part's
    to say, for the entities it reads: the lanes read open work's effort, no done work's."""
    kind = type(entity)
    return any(all(key in unread.get(kind, frozenset()) for _, unread, _ in readings)
               for key in entity.invalid_fields - rests_on.get(kind, frozenset()))


def _off_its_journey(pain: PainPoint, portfolio: Portfolio, figures: Portfolio,
                     places: dict[int, dict[str, int]], reads_stage: bool = True) -> str:
    """Why the figures find no stage of the pain point's journey for it ("" when they do).
    One they do not (a misspelt stage or journey, a stage its journey no longer has)
    counts for nothing in rank, and its work's impact goes without it: said, as a refused
    stage is; a journey that is not known counts its done work on no journey in track.
    A journey the figures leave out is said itself, with whatever rests on it."""
    journey = figures.get(pain.journey, Journey)
    if not isinstance(journey, Journey):
        # said already: the journey left out for a refused value, or what may define it
        # (an unreadable file, a value lost to a mistake: CXP102 is silent then too). Track
        # counts the work under a name a definition with a refused id or one renamed to a
        # taken id may be (CXP101); rank values the pain point at nothing all the same, so says it.
        return "" if portfolio.may_define(pain.journey, Journey, renamed=not reads_stage) else OFF_JOURNEY
    if not reads_stage:
        return ""
    index = places.get(id(journey))
    if index is None:
        index = places[id(journey)] = journey.stage_places()
    return "" if pain.stage in index else OFF_STAGE


def _reported_errors(run: CheckRun) -> list[Finding]:
    """The error findings `cxportfolio check` reports: none suppressed, and no CXP004 (a
    setting weakened since a base: `diff`'s alone, which puts no value of the head in doubt)."""
    from cxportfolio.model.finding import Severity

    return [f for f in run.result.findings if f.severity is Severity.ERROR and not f.suppressed
            and f.code != "CXP004"]


def _all_errors(run: CheckRun) -> int:
    return len(_reported_errors(run))


def _errors_figures_rest_on(run: CheckRun, unread: Unread, unread_entity: Reads | None = None) -> int:
    """The error findings the figures may rest on: all but a setting weakened since the
    base (CXP004: `diff`'s head is checked against its base), a completion date after
    `--as-of` (CXP105) or any on done work where the figures never read the date (rank),
    whose work the figures count as still in progress on that date
    (Initiative.done_after), and a value refused (CXP002) in an entity the figures keep
    because they never read it (a KPI's baseline, for rank): a report of an earlier
    period, or rank beside a refused baseline, is right, and must not be called
    incomplete for it."""
    from cxportfolio.model.entities import Initiative

    def neutral(finding) -> bool:  # type: ignore[no-untyped-def]
        if finding.code not in ("CXP105", "CXP002") or not finding.entities:
            return False
        entity = run.portfolio.by_id.get(finding.entities[0])
        if finding.code == "CXP002":
            return entity is not None and not entity.whole and (
                not reads_refused(entity, unread) or (unread_entity is not None and unread_entity(entity)))
        if not isinstance(entity, Initiative):
            return False
        # done work's completion date (missing or in the future) is nothing to figures
        # that never read `completed` (rank's): they leave done work out by its status
        return (entity.completed is not None and entity.completed > run.as_of) or (
            entity.status == "done" and "completed" in unread.get(Initiative, frozenset()))

    return sum(1 for f in _reported_errors(run) if not neutral(f))
