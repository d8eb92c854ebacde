"""`toc lsp`: a language server for model files (JSON and YAML) in any editor that speaks the
Language Server Protocol: `toc check`'s findings as you type, completion of ids and of the
framework's words, hover, go to definition and rename of an id.

`document` reads one file as `toc check` does and knows nothing of the protocol; `server` speaks it
(over standard input and output, with pygls, the `lsp` extra). Like `toc check`, the server never
imports the drawings, the formats or monitoring: it starts as quickly as a check.
"""

from __future__ import annotations

from toc.lsp.document import Document

__all__ = ["Document"]
