"""Import and export formats, one module each, in one registry (`toc.formats.registry`).

Importing this package registers the built-in formats: drawing 2 as json-graph, GraphML, GEXF,
Mermaid and DOT; CSV sheets; the IATI activity XML; the logframe workbook (xlsx). Every importer
goes through the one door in (`toc.formats.door.build`), so an import is checked as a model file is.
"""

from __future__ import annotations

from toc.formats import csv_files, dot, gexf, graphml, iati, json_graph, kumu, mermaid, theorymaker, tocmaker, xlsx
from toc.formats.registry import (
    Format,
    Omission,
    Source,
    UnknownFormatError,
    Written,
    formats,
    get,
    left_out,
    omissions,
    readers,
    register,
    unregister,
    writers,
)
from toc.model import Programme

__all__ = [
    "Format",
    "Omission",
    "Source",
    "UnknownFormatError",
    "Written",
    "every_programme_formats",
    "export",
    "formats",
    "get",
    "left_out",
    "omissions",
    "readers",
    "register",
    "unregister",
    "write",
    "writers",
]

for _module in (
    json_graph,
    graphml,
    gexf,
    mermaid,
    dot,
    csv_files,
    iati,
    xlsx,
    tocmaker,
    kumu,
    theorymaker,
):  # the order of the choices
    register(_module.FORMAT)


def every_programme_formats() -> list[str]:
    """The formats every programme can be written in (the theory of change's, not the results')."""
    return [name for name, fmt in writers().items() if fmt.every_programme]


def write(programme: Programme, name: str, source: str | None = None) -> Written:
    """What format `name` makes of `programme`; `source` names the model file, to place what a
    format finds missing (IATI's required fields)."""
    writes = get(name).writes
    assert writes is not None  # get() gives writers only
    return writes(programme, source)


def export(programme: Programme, name: str, source: str | None = None) -> str:
    """The text of a one-file text format (`write` for any format): drawing 2 as json-graph,
    GraphML, GEXF, Mermaid or DOT, or the results as IATI XML."""
    made = write(programme, name, source)
    if not isinstance(made, str):
        raise ValueError(f"format {name!r} writes {'bytes' if isinstance(made, bytes) else 'a folder'}: use write()")
    return made
