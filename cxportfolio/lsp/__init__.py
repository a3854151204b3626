"""`cxportfolio lsp`: the portfolio in the editor, over the Language Server Protocol.

`session` runs the check engine on the portfolio with the editor's unsaved buffers laid
over the files (no rule is implemented twice), `index` finds every id written in the
files, `features` answers the editor's requests from both, and `server` speaks the
protocol through pygls (an optional dependency: the `lsp` extra).
"""
