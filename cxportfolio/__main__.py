"""`python -m cxportfolio` runs the command-line interface."""

from cxportfolio.cli import main

main()
