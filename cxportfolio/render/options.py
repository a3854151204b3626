"""Options every renderer may honour."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    show_suppressed: bool = False
