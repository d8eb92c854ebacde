"""`toc lsp`: the language server for model files, on standard input and output (an editor starts it)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from toc.cli.common import EXIT_OK, UsageError, examples

__all__ = ["add"]


def add(commands: Any) -> None:
    """Declare `toc lsp`."""
    lsp = commands.add_parser(
        "lsp",
        help="the language server for model files (an editor starts it; it speaks on standard input and output)",
        description=(
            "Speak the Language Server Protocol on standard input and output for model files in JSON and YAML: "
            "toc check's findings as you type, completion of ids, levels and kinds, hover, go to definition and "
            "rename of an id. An editor starts it (docs/editors.md shows VS Code, Neovim and Helix). "
            "Needs the lsp extra: pip install 'toc-programmes[lsp]'."
        ),
        **examples("toc lsp", "toc lsp --rules-url https://example.org/toc/rules/"),
    )
    lsp.add_argument(
        "--rules-url",
        metavar="URL",
        help="the page that explains the rules, each finding links to URL#toc203 (default: $TOC_RULES_URL, "
        "else a checkout's docs/rules.md)",
    )
    lsp.set_defaults(run=_run)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        from toc.lsp.server import default_rules_url, serve
    except ImportError as error:
        raise UsageError(f"toc lsp needs pygls ({error.name or error}): pip install 'toc-programmes[lsp]'") from None
    serve(args.rules_url or default_rules_url())
    return EXIT_OK
