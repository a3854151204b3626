"""docs/rules.md, generated from the rule registry (a test fails when it is stale)."""

from __future__ import annotations

from cxportfolio.rules import REGISTRY, Rule

HEADER = """# Rule catalogue

Generated from the rules themselves by `cxportfolio rules --markdown > docs/rules.md`;
do not edit by hand. Codes are stable. Change a rule's severity in `cxportfolio.yaml`:

```yaml
rules:
  CXP402: error                               # error | warning | info | off
  CXP201: {severity: warning, similarity: 0.8} # severity and the rule's options
```

or select rules on the command line by code prefix: `cxportfolio check --select CXP1 --ignore CXP105`.

| code | name | default | fires when |
|---|---|---|---|
"""


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


def rules_markdown() -> str:
    rules = sorted(REGISTRY.values(), key=lambda r: r.code)
    table = "".join(f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.severity.value} | "
                    f"{r.summary} |\n" for r in rules)
    return HEADER + table + "\n" + "\n".join(rule_markdown(r) for r in rules)


def _sentence(text: str) -> str:
    return "Fires when " + text.rstrip(".") + "."
