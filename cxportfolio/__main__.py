"""`python -m cxportfolio` runs the command-line interface."""

from cxportfolio.entry import main

main()
