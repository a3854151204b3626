"""Files → raw documents with source positions.

`portfolio_files` finds the portfolio's files and reads each safely once, `yaml_reader`
turns bytes into plain data whose containers carry the parser's position of every key
and value, and `positions` answers "where in the file is this JSON pointer".
"""

from cxportfolio.load.portfolio_files import LoadedFile, LoadedPortfolio, load_files

__all__ = ["LoadedFile", "LoadedPortfolio", "load_files"]
