"""Drawings on paper: a PDF fitted to one printed page, a PNG at print resolution.

Graphviz makes a PDF page the drawing's own size (1109 x 701 pt for district 8's theory of
change), which a printer then shrinks or crops as it likes. A secretariat prints on A4: the PDF
is placed on one A4 landscape page (or the paper asked for), scaled to fit inside 1 cm margins
and centred, so that what prints is what `tests/drawing_metrics.py` measures.

The drawing's page becomes a form (a PDF XObject) that the new page draws once, scaled and moved:
its content stream is copied as it is, still compressed, never parsed. pypdf's page merging
parsed and rewrote the whole stream: 6x the time of `dot -Tpdf`, files 5x bigger, and an
uncaught `LimitReachedError` for a drawing of some thousand long labels.
"""

from __future__ import annotations

import io
from typing import Any

__all__ = ["MARGIN_PT", "PAPERS", "PRINT_DPI", "on_paper"]

MM = 72 / 25.4
PAPERS: dict[str, tuple[float, float] | None] = {
    "a4-landscape": (297 * MM, 210 * MM),
    "a4-portrait": (210 * MM, 297 * MM),
    "a3-landscape": (420 * MM, 297 * MM),
    "natural": None,
}
"""Page sizes in points (width, height), by the names `toc render --paper` takes; `natural`: the drawing's own."""

MARGIN_PT = 10 * MM
"""1 cm on every side: what office printers can print, and what the metrics script assumes."""

PRINT_DPI = 300
"""PNG output's resolution: print quality (Graphviz's default, 96, is a screen's)."""


def on_paper(pdf: bytes, paper: str) -> bytes:
    """The first page of `pdf` scaled to fit `paper` inside the margins and centred on it."""
    size = PAPERS[paper]
    if size is None:
        return pdf
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

    drawing = PdfReader(io.BytesIO(pdf)).pages[0]
    box = drawing.mediabox
    width, height = float(box.width), float(box.height)
    left, bottom = float(box.left), float(box.bottom)
    page_width, page_height = size
    scale = min((page_width - 2 * MARGIN_PT) / width, (page_height - 2 * MARGIN_PT) / height)
    offset_x = (page_width - width * scale) / 2 - left * scale
    offset_y = (page_height - height * scale) / 2 - bottom * scale

    writer = PdfWriter()
    form = _form(drawing, writer)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (left, bottom, box.right, box.top)),
            NameObject("/Resources"): drawing.get("/Resources", DictionaryObject()).clone(writer),
        }
    )
    page = writer.add_blank_page(width=page_width, height=page_height)
    place = DecodedStreamObject()
    place.set_data(f"q {scale:.6f} 0 0 {scale:.6f} {offset_x:.4f} {offset_y:.4f} cm /Drawing Do Q".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(place)
    resources = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Drawing"): writer._add_object(form)})}
    )
    page[NameObject("/Resources")] = resources
    writer.add_metadata({"/Producer": "toc"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _form(drawing: Any, writer: Any) -> Any:
    """The drawing page's content as one stream of the writer's, its bytes untouched where the page
    has one stream (Graphviz's and matplotlib's pages have one); several are joined."""
    from pypdf.generic import DecodedStreamObject, StreamObject

    contents = drawing.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if isinstance(contents, StreamObject):
        return contents.clone(writer)
    joined = DecodedStreamObject()
    parts = [part.get_object().get_data() for part in (contents or [])]
    joined.set_data(b"\n".join(parts))
    return joined
