"""The rule catalogue. Importing this package registers every rule in REGISTRY.

One module per rule family; a new rule is one decorated function in one of them.
"""

from cxportfolio.rules import (  # noqa: F401  (importing registers the rules)
    comments,
    conflicts,
    dot_thousands,
    duplicates,
    health,
    integrity,
    loading,
    outcomes,
)
from cxportfolio.rules.base import REGISTRY, Anchor, Hit, Rule, RuleContext

__all__ = ["REGISTRY", "Anchor", "Hit", "Rule", "RuleContext"]
