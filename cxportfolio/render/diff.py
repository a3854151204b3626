"""`diff` output: a PR comment in Markdown, plain text, or JSON."""

from __future__ import annotations

from typing import Any

from cxportfolio.analysis.change import PortfolioChange
from cxportfolio.render.neutral import dumps_json, md_escape, one_line, printable

VERSION = 1


def _forecast_line(change: PortfolioChange) -> str:
    b, a = change.before, change.after
    if b is None or a is None:
        return ""
    delta = a.forecast - b.forecast
    return (f"Annual target {a.target}: forecast {b.forecast:.1f} → {a.forecast:.1f} "
            f"({delta:+.1f}), status {b.status} → {a.status}.")


def markdown(change: PortfolioChange) -> str:
    out = ["### cxportfolio diff", "", _forecast_line(change), ""]
    counts = {k: sum(1 for e in change.entities if e.change == k) for k in ("added", "removed", "changed")}
    out.append(f"**Entities**: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed.")
    if change.entities:
        out += ["", "| change | kind | id | fields |", "|---|---|---|---|"]
        out += [f"| {e.change} | {e.kind} | {md_escape(e.id)} | {md_escape(', '.join(e.fields))} |"
                for e in change.entities]
    for title, findings in (("New findings", change.new_findings), ("Resolved findings", change.resolved_findings)):
        out += ["", f"**{title}**: {len(findings)}"]
        if findings:
            out += ["", "| location | code | severity | message |", "|---|---|---|---|"]
            out += [f"| {md_escape(f.location.file)}:{f.location.line} | {f.code} | {f.severity.value} | "
                    f"{md_escape(f.message)} |" for f in findings]
    out += ["", f"**Rank moves** (open initiatives, top {change.top}): {len(change.rank_moves)}"]
    if change.rank_moves:
        out += ["", "| id | title | before | after | move |", "|---|---|---|---|---|"]
        out += [f"| {md_escape(m.id)} | {md_escape(m.title)} | {m.before or '–'} | {m.after or '–'} | {m.note} |"
                for m in change.rank_moves]
    return "\n".join(out) + "\n"


def text(change: PortfolioChange) -> str:
    out = [_forecast_line(change)]
    out += [f"{e.change:8} {e.kind} {printable(e.id)}"
            + (f" ({printable(', '.join(e.fields))})" if e.fields else "") for e in change.entities]
    for label, findings in (("new     ", change.new_findings), ("resolved", change.resolved_findings)):
        out += [f"{label} {printable(f.location.file)}:{f.location.line}:{f.location.column}: {f.code} "
                f"{one_line(f.message)}" for f in findings]
    out += [f"rank     {printable(m.id)}: {m.before or '-'} -> {m.after or '-'} ({m.note})"
            for m in change.rank_moves]
    return "\n".join(out) + "\n"


def json_text(change: PortfolioChange) -> str:
    from cxportfolio.render.json_format import finding_json

    def target(t: Any) -> dict[str, Any] | None:
        return None if t is None else {"year": t.year, "target": t.target, "done": t.done,
                                       "forecast": round(t.forecast, 4), "status": t.status}

    document = {
        "version": VERSION,
        "entities": [{"kind": e.kind, "id": e.id, "change": e.change, "fields": list(e.fields)}
                     for e in change.entities],
        "new_findings": [finding_json(f) for f in change.new_findings],
        "resolved_findings": [finding_json(f) for f in change.resolved_findings],
        "rank_moves": [{"id": m.id, "title": m.title, "before": m.before, "after": m.after, "move": m.note}
                       for m in change.rank_moves],
        "target": {"before": target(change.before), "after": target(change.after)},
    }
    return dumps_json(document)


DIFF_RENDERERS = {"text": text, "markdown": markdown, "json": json_text}
