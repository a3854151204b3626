"""docs/rules.md, generated from the rule registry (a test fails when it is stale), and the
pages of docs/ as the installed package carries them (`cxportfolio docs TOPIC`)."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from cxportfolio.errors import CxpError

if TYPE_CHECKING:
    from importlib.abc import Traversable  # importlib.resources.abc from Python 3.11

    from cxportfolio.rules import Rule

# cxportfolio/docs_data is a link to the repository's docs/ (one source for GitHub readers and
# the package): setuptools copies the pages into the wheel as package data.
DOCS_PACKAGE_DIR = "docs_data"

HEADER = """# Rule catalogue

Generated from the rules themselves by `cxportfolio rules --markdown > docs/rules.md`;
do not edit by hand. Codes are stable. Change a rule's severity in `cxportfolio.yaml`:

```yaml
rules:
  CXP402: error                               # error | warning | info | off
  CXP201: {severity: warning, similarity: 0.8} # severity and the rule's options
```

or select rules on the command line by code prefix: `cxportfolio check --select CXP1 --ignore CXP105`.
The syntax, repeated-key, schema, id and configuration-change checks (CXP001–CXP004, CXP101)
always run: neither `rules:` nor `--select`/`--ignore` can switch them off.

| code | name | default | fires when |
|---|---|---|---|
"""


def rule_anchor(code: str, name: str) -> str:
    """The anchor of a rule's section on the rules page (GitHub's, and Markdown
    previewers', for the heading `## CXP102 unknown-reference` that `rule_markdown`
    writes)."""
    return f"{code.lower()}-{name}"


def rule_markdown(rule: Rule) -> str:
    text = (f"## {rule.code} {rule.name}\n\nDefault severity: **{rule.severity.value}**. "
            f"{_sentence(rule.summary)}\n\n{rule.doc}\n")
    fields = rule.options.model_fields
    if fields:
        text += ("\n**Options** (in `cxportfolio.yaml`: `rules: {" + rule.code + ": {option: value}}`):\n\n"
                 "| option | default | meaning |\n|---|---|---|\n")
        for name, field in fields.items():
            text += f"| `{name}` | `{field.default}` | {field.description} |\n"
    return text


def rule_text(rule: Rule) -> str:
    """What `rule_markdown` says, as plain text (SARIF's `help.text`, for viewers that show
    no Markdown): no emphasis, code fences or table; each option on a line of its own."""
    text = (f"{rule.code} {rule.name}\n\nDefault severity: {rule.severity.value}. "
            f"{_sentence(rule.summary)}\n\n{_plain(rule.doc)}\n")
    fields = rule.options.model_fields
    if fields:
        text += f"\nOptions (in cxportfolio.yaml: rules: {{{rule.code}: {{option: value}}}}):\n\n"
        for name, field in fields.items():
            text += f"- {name} (default {field.default}): {field.description}\n"
    return text


# *emphasis* and **strong**, not a `*.yaml` in code nor a `*` standing alone
_EMPHASIS = re.compile(r"(?<![\w*`])\*{1,2}(?=[^\s*])([^*`\n]+?)(?<=\S)\*{1,2}(?![\w*`])")


def _plain(markdown: str) -> str:
    """A rule's documentation without its Markdown markup; the lines of a code block kept
    as they are, without their fences."""
    lines, in_code = [], False
    for line in markdown.split("\n"):
        if line.startswith("```"):
            in_code = not in_code
            continue
        lines.append(line if in_code else _EMPHASIS.sub(r"\1", line))
    return "\n".join(lines)


def rules_markdown() -> str:
    from cxportfolio.rules import REGISTRY  # here: `cxportfolio docs` needs no rule loaded

    rules = sorted(REGISTRY.values(), key=lambda r: r.code)
    table = "".join(f"| [{r.code}](#{rule_anchor(r.code, r.name)}) | {r.name} | {r.severity.value} | "
                    f"{r.summary} |\n" for r in rules)
    return HEADER + table + "\n" + "\n".join(rule_markdown(r) for r in rules)


def _sentence(text: str) -> str:
    return "Fires when " + text.rstrip(".") + "."


def doc_pages() -> dict[str, Traversable]:
    """The documentation pages by topic (the file name without .md), sorted."""
    folder = files("cxportfolio") / DOCS_PACKAGE_DIR
    pages = {entry.name[:-3]: entry for entry in folder.iterdir() if entry.name.endswith(".md")}
    return dict(sorted(pages.items()))


def installed_page(topic: str) -> Path:
    """Where the installed package holds a documentation page (its target, where the
    folder is a link to the repository's docs/), for a link an editor opens offline."""
    return Path(str(files("cxportfolio") / DOCS_PACKAGE_DIR / f"{topic}.md")).resolve()


def doc_title(page: Traversable) -> str:
    first = page.read_text(encoding="utf-8").split("\n", 1)[0]
    return first.lstrip("# ").strip()


def _rule_hint(topic: str) -> str | None:
    """`docs CXP102` or `docs unknown-reference`: a rule, which `cxportfolio rules` explains."""
    import cxportfolio.rules  # noqa: F401  (registers the rules: only for a page not found)
    from cxportfolio.model.types import KNOWN_RULES, rule_named

    code = topic.upper() if topic.upper() in KNOWN_RULES else rule_named(topic)
    return f"{code} is a rule: `cxportfolio rules {code}` explains it;" if code else None


def doc_page(topic: str) -> str:
    """One page's Markdown, or a one-line CxpError naming the topics there are."""
    pages = doc_pages()
    page = pages.get(topic.lower().removesuffix(".md"))
    if page is None:
        from cxportfolio.model.types import did_you_mean
        from cxportfolio.render.neutral import printable

        hint = did_you_mean(topic.lower(), list(pages)) or _rule_hint(topic)
        raise CxpError(f"no documentation page '{printable(topic)}'; " + (f"{hint} " if hint else "")
                       + f"the topics are {', '.join(pages)}")
    return page.read_text(encoding="utf-8")
