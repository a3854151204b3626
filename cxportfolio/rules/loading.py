"""CXP001–CXP003: problems found while reading and validating files.

The loader and the schema validation report these; the rules here carry their
documentation and default severity so they are configured and documented like any other.
"""

from cxportfolio.model.finding import Severity
from cxportfolio.rules.base import loader_rule

YAML_SYNTAX = loader_rule(
    "CXP001", "yaml-syntax", Severity.ERROR, "a file is not valid YAML",
    """
    **Why**: a file that cannot be read loses everything in it. The check also refuses
    what a safe reader must not accept: tags that construct objects (`!!python/...`),
    several documents in one file, alias bombs, nesting deeper than 64 levels, files over
    16 MiB, and text that is not UTF-8 (a byte-order mark is fine).

    **Example**:
    ```yaml
    initiatives:
      - id: DIG-007
        title: Status tracker
       status: done        # indented one space too little
    ```
    `units/digital.yaml:4:4: CXP001 expected <block end>, but found '<block mapping start>'`

    **Fix**: correct the YAML at the line and column given; indent with spaces; save the
    file as UTF-8; remove tags and `---` separators.
    """,
)

SCHEMA = loader_rule(
    "CXP002", "schema", Severity.ERROR, "a document violates the schema",
    """
    **Why**: a misspelt field, a number written as text or a status nobody knows would
    otherwise be silently ignored or misread, and every figure computed from it would be
    wrong. Unknown keys are refused (typo protection); extension keys starting with `x-`
    are allowed.

    **Example**:
    ```yaml
    initiatives:
      - id: DIG-007
        title: Status tracker
        status: in_progress
        effort: lots
    ```
    `units/digital.yaml:5:13: CXP002 effort must be a number, got 'lots' (initiative DIG-007)`

    **Fix**: follow the field reference in docs/format.md. Editors with the YAML language
    server show these errors as you type, from `schemas/portfolio.schema.json`.
    """,
)

DUPLICATE_KEY = loader_rule(
    "CXP003", "duplicate-key", Severity.ERROR,
    "a mapping repeats a key (YAML would silently keep the last)",
    """
    **Why**: YAML libraries keep only the last of two equal keys, so the first value is
    lost without a word: data loss in a file under review.

    **Example**:
    ```yaml
      - id: DIG-007
        effort: 8
        effort: 12
    ```
    `units/digital.yaml:3:5: CXP003 key 'effort' is repeated; YAML would silently keep only the last value`,
    with the first occurrence (line 2) as its related location

    **Fix**: keep one of the two entries, or rename one of them.
    """,
)
