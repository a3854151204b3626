"""`rank --explain ID`: every term of one initiative's score, as text or JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cxportfolio.analysis.ranking import Score
from cxportfolio.render.neutral import dumps_json, one_line, printable

if TYPE_CHECKING:
    from cxportfolio.analysis.exclusions import Exclusions


def explain_text(score: Score, unvalued_why: Mapping[str, str] | None = None) -> str:
    """`unvalued_why`: why rank cannot value each pain point of `score.unvalued`
    (`RankingModel.why_unvalued`), said where its terms would stand."""
    i = score.initiative
    lines = [f"{printable(i.id)}: {one_line(i.title)} ({printable(i.unit_named)}, {printable(i.status)})", "",
             "Pain points (each one's value is shared by the initiatives addressing it):"]
    if not score.pains and not score.unvalued:
        lines.append("  none: it addresses no pain point: value 0")
    for pain_id in score.unvalued:  # never "no known journey" where the journey is known but refused
        why = (unvalued_why or {}).get(pain_id)
        lines.append(f"  {printable(pain_id)}: no value as the files stand" + (f": {one_line(why)}" if why else ""))
    for share in score.pains:
        p = share.pain
        lines += [
            f"  {printable(p.pain_id)} on {printable(p.journey_id)} / {printable(p.stage_id)}",
            f"    customers at stage = volume {p.volume:g} × upstream completion {p.upstream_completion:.4g}"
            f" = {p.customers_at_stage:.1f}",
            f"    downstream = weight {p.downstream_weight:g} × (1 − completion {p.stage_completion:g}) × tail completion "
            f"{p.tail_completion:.4g} = {p.downstream:.4g}",
            f"    value = {p.customers_at_stage:.1f} × reach {p.reach:g} × (severity {p.severity} weight "
            f"{p.severity_weight:g} + downstream {p.downstream:.4g}) = {p.value:.1f}",
            f"    share = value {p.value:.1f} × best weight on it {share.best_weight:.4g} × this weight "
            f"{share.weight:.4g} / sum of weights {share.weight_sum:.4g} "
            f"({share.sharers} initiative{'s' if share.sharers != 1 else ''}) = {share.share:.1f}",
        ]
    lines += ["", "Outcome weight (best KPI weight × confidence over effects moving a KPI the better way):"]
    best = max((e.weight for e in score.effects if e.counted), default=0.0)
    for e in score.effects:
        note = "best" if e.counted and e.weight == best and best > 0 else (
            "" if e.counted else "not counted: against the KPI's better direction")
        if e.kpi_id in score.unweighed:  # weighed as the files stand: it drives a KPI rank cannot weigh
            note = "; ".join(filter(None, (note, "its weight is not known: it drives a KPI rank cannot weigh, directly or through others")))
        lines.append(f"  {printable(e.kpi_id)} ({printable(e.kind)}): weight {e.kpi_weight:.4g}"
                     f" × confidence {e.confidence:g} = {e.weight:.4g}" + (f"  [{note}]" if note else ""))
    weighed = {e.kpi_id for e in score.effects}
    for kpi_id in score.unweighed:
        if kpi_id not in weighed:  # left out or misspelt: `check` says which
            lines.append(f"  {printable(kpi_id)}: not weighed: a KPI rank cannot weigh (misspelt, or left out for a"
                         " refused value)")
    if best <= 0:
        lines.append(f"  no effect counts: unlinked weight {score.outcome_weight:g}")
    elif best < score.outcome_weight:  # an effect never weighs less than stating none
        lines.append(f"  the best is below the unlinked weight: unlinked weight {score.outcome_weight:g}")
    lines += [f"  outcome weight = {score.outcome_weight:.4g}", "",
              f"impact = sum of shares = {score.impact:.1f}" + _resting(score),
              f"effort = {score.effort:g} person-weeks" + (f" ({score.effort_note})" if score.effort_note else ""),
              f"priority = impact / effort = {score.priority:.2f}"]
    return "\n".join(lines) + "\n"


def _resting(score: Score) -> str:
    """Whose refused value (or effect on no KPI) the shares rest on, its own effects on a
    KPI rank cannot weigh among them: their figure is not known (docs/ranking.md)."""
    notes = []
    if score.unweighed:
        kpis = ", ".join(printable(k) for k in score.unweighed)
        notes.append(f"rests on its effect on {kpis}, whose weight is not known (a KPI misspelt, left out for a"
                     " refused value, or driving such a KPI)")
    if score.unvalued:
        pains = ", ".join(printable(p) for p in score.unvalued)
        notes.append(f"rests on {pains}, which it addresses and rank cannot value (misspelt, or left out for a"
                     " mistake there or in its journey)")
    if score.twice:
        notes.append(f"rests on the other definition of {', '.join(printable(i) for i in score.twice)}, an id "
                     "defined twice (CXP101), which rank does not read")
    refused = [i for i in score.resting_on if i not in score.twice]
    if refused:
        names = ", ".join(printable(i) for i in refused) + (" and more" if score.resting_more else "")
        # their effect may be sound and its KPI the one refused (card-ces's kind): say so, or
        # the reader hunts a refused value in work that has none
        notes.append(f"rests on a status, effect or addresses of {names} refused or naming nothing, or on their"
                     " effect on a KPI whose weight is not known")
    return f" ({'; '.join(notes)}: fix it to know the figure)" if notes else ""


def explain_json(score: Score, excluded: Exclusions | None = None,
                 unvalued_why: Mapping[str, str] | None = None) -> str:
    """`excluded`: what the figures leave out (as every JSON of rank's); `unvalued_why`:
    as `explain_text`'s."""
    def r(x: float) -> float:
        return round(x, 6)

    document: dict[str, Any] = {
        "version": 1,
        "id": score.id,
        "pain_points": [{
            "id": s.pain.pain_id, "journey": s.pain.journey_id, "stage": s.pain.stage_id,
            "volume": s.pain.volume, "upstream_completion": r(s.pain.upstream_completion),
            "customers_at_stage": r(s.pain.customers_at_stage), "reach": s.pain.reach,
            "severity": s.pain.severity, "severity_weight": s.pain.severity_weight,
            "stage_completion": s.pain.stage_completion, "tail_completion": r(s.pain.tail_completion),
            "downstream": r(s.pain.downstream), "value": r(s.pain.value), "sharers": s.sharers,
            "weight": r(s.weight), "weight_sum": r(s.weight_sum), "best_weight": r(s.best_weight),
            "share": r(s.share)} for s in score.pains],
        "effects": [{"kpi": e.kpi_id, "kind": e.kind, "kpi_weight": r(e.kpi_weight),
                     "confidence": e.confidence, "counted": e.counted, "weight": r(e.weight)}
                    for e in score.effects],
        "outcome_weight": r(score.outcome_weight),
        "impact": r(score.impact),
        "effort": score.effort,
        "effort_note": score.effort_note,
        "priority": r(score.priority),
    }
    if score.unweighed:
        document["unweighed_kpis"] = list(score.unweighed)  # its own effects' KPIs rank cannot weigh
    if score.unvalued:
        document["unvalued_pain_points"] = list(score.unvalued)  # its own pain points rank cannot value
        if unvalued_why:  # and why, each in the words of the text
            document["unvalued_why"] = {p: unvalued_why[p] for p in score.unvalued if p in unvalued_why}
    if score.resting_on:
        document["resting_on_refused"] = list(score.resting_on)  # the first MAX_RESTING by id
        if score.resting_more:
            document["resting_on_refused_more"] = True
    if excluded is not None:
        document["excluded"] = excluded.document()
    return dumps_json(document)
