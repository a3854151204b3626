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
    ```text
    units/digital.yaml:4:4: CXP001 the key `status:` at column 4 is not in line with the keys around it (did not find expected '-' indicator, while parsing a block collection)
        help: indent `status:` to column 5 like the other keys of this initiative (it starts at line 2)
    ```

    **Fix**: follow the help: the commonest mistakes are said in plain words (a tab used
    to indent, a `: ` inside an unquoted value, a key or item at the wrong column, a key
    without `:`, a line broken in two by a line break typed into a key, a value or a comment,
    a bracket or comma typed inside `{…}`; see docs/format.md for the full list). Otherwise correct the YAML at the line and column given; save the file
    as UTF-8; remove tags and `---` separators.
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

    **Initiatives without a unit**: an initiative without `unit:` takes its file's
    top-level `unit:`. When the file has none — a deleted `unit:` line — its initiatives
    without one are a single finding, at the first, naming them: one mistake, one finding
    (`units/digital.yaml:13:5: CXP002 14 initiatives have no unit (DIG-007, DIG-008,
    DIG-009 and 11 more)`). A misspelt one (`unti: digital`) is that key's finding, which
    says so: "unknown top-level key 'unti'; without `unit:`, 14 initiatives have no unit";
    a refused one (`unit: 7`) is its value's: "unit must be text, got the number 7;
    without a valid `unit:`, 14 initiatives have no unit (…)".

    **A misspelt required key** (`titel:` for `title:`) is one finding, at the key as
    written, not two (a missing field and an unknown one): `units/digital.yaml:6:5:
    CXP002 unknown field 'titel' (initiative DIG-007); required field 'title' is
    missing`, with the hint to rename it. So is
    **a required key written beside its mapping** (`by:` dedented out of `decided:`), at
    the key as written: `field 'by' of decided is written outside it (initiative
    DIG-008): decided is missing required field 'by'`, with the hint to indent it under
    `decided:`.
    """,
)

WEAKENED_GATE = loader_rule(
    "CXP004", "weakened-rule", Severity.ERROR,
    "the change lowers a rule's severity, switches it off or changes its options (with --baseline)",
    """
    **Why**: a pull request may edit `cxportfolio.yaml` as freely as any other file. One
    that switches a rule off, or turns its errors into warnings, makes the very gate that
    reviews it pass — unseen, unless the change itself is a finding. `check --baseline
    REF` (and `diff`) compares the `rules:` of the configuration at REF — `check
    --baseline-file FILE` those a saved `check --format json` kept — with the ones in
    the working tree and reports each rule whose severity is lower now (error → warning →
    info → off) and each rule whose options changed (`min_units: 1000` silences CXP202
    as surely as `off`). It is always an error — it cannot be lowered or switched off,
    nor accepted with `allow:` — so the same pull request cannot silence it either.

    **Example**:
    ```yaml
    # cxportfolio.yaml in the pull request
    rules:
      CXP105: "off"     # error at the base
    ```
    `cxportfolio.yaml:3:11: CXP004 rule CXP105 is weakened by this change: error at the base, off here`

    **Fix**: keep the severity, or have the change approved by whoever owns the
    configuration (CODEOWNERS). `check --baseline REF --config-from-base` makes a gate
    judge every other finding by the base's `rules:` whatever the pull request says;
    the weakening itself is still this finding, so such a change is merged once approved.
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
    initiatives:
      - id: DIG-007
        effort: 8
        effort: 12
    ```
    `units/digital.yaml:4:5: CXP003 key 'effort' is repeated; YAML would silently keep only the last value`,
    with the first occurrence (line 3) as its related location.

    Several keys repeated in one list item are one finding, at the first repeat: the keys
    of an item written again further down are most often a second item whose `- `
    was lost, and deleting each repeat would delete that item —
    ``keys 'id', 'title', 'addresses' and 5 more of the item above are written again from here; … (`id: HR-002` replaces `id: HR-001`, which is lost): is this a second item without its `- `?``

    **Fix**: keep the value you mean and delete the other line; two lists or mappings
    under one key (`initiatives:` twice) are merged into one; a second item gets its `- `
    (and its `id:`) back, in line with the item above.
    """,
)
