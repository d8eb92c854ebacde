"""Drawings on paper: a PDF fitted to one printed page, a PNG at print resolution.

Graphviz makes a PDF page the drawing's own size (1109 x 701 pt for district 8's theory of
change), which a printer then shrinks or crops as it likes. A secretariat prints on A4: the PDF
is placed on one A4 landscape page (or the paper asked for), scaled to fit inside 1 cm margins
and centred, with pypdf, so that what prints is what `tests/drawing_metrics.py` measures.
"""

from __future__ import annotations

import io

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
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation

    drawing = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = float(drawing.mediabox.width), float(drawing.mediabox.height)
    left, bottom = float(drawing.mediabox.left), float(drawing.mediabox.bottom)
    page_width, page_height = size
    scale = min((page_width - 2 * MARGIN_PT) / width, (page_height - 2 * MARGIN_PT) / height)
    page = PageObject.create_blank_page(width=page_width, height=page_height)
    offset_x = (page_width - width * scale) / 2 - left * scale
    offset_y = (page_height - height * scale) / 2 - bottom * scale
    page.merge_transformed_page(drawing, Transformation().scale(scale).translate(offset_x, offset_y))
    writer = PdfWriter()
    writer.add_page(page)
    writer.add_metadata({"/Producer": "toc"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
