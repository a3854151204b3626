"""Files → raw documents with source positions.

`discover` finds the portfolio's files, `yaml_reader` turns bytes into plain Python data
(or problems with line and column), `source_map` answers "where in the file is this
JSON pointer" lazily, so that positions cost nothing for files without findings.
"""

from cxportfolio.load.portfolio_files import LoadedFile, LoadedPortfolio, load_files

__all__ = ["LoadedFile", "LoadedPortfolio", "load_files"]
