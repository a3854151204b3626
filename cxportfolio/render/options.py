"""Options every renderer may honour."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    show_suppressed: bool = False
    # Prepended to file paths by the CI formats (github, sarif, gitlab, junit), whose
    # consumers resolve paths from the repository root rather than the portfolio root.
    path_prefix: str = ""

    def ci_path(self, file: str) -> str:
        return f"{self.path_prefix}{file}"
