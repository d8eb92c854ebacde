"""toc's record in an IATI file: the whole programme, in an element of toc's own namespace.

IATI's fields hold results, indicators, organisations with a role and the activity's dates, but
not a theory of change's links, its assumptions and evidence, results without indicators,
responsibilities or organisations without a role. The IATI 2.03 schema admits elements of other
namespaces at the end of an `<iati-activity>` (`xsd:any namespace="##other"`), so an export ends
its activity with

    <toc:record xmlns:toc="urn:toc-programmes:iati-extension:1" format-version="…">
      {the programme as toc's model JSON}
    </toc:record>

and the file stays valid. `toc import iati` restores the programme from the record when the
activity's IATI content is still what toc wrote with it; an activity changed since (in another
tool) is read from its IATI content alone, and the import says so.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from toc.formats.iati.codes import line_of
from toc.model import FORMAT_VERSION, Programme

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["NAMESPACE", "RECORD", "add_record", "record_of"]

NAMESPACE = "urn:toc-programmes:iati-extension:1"
"""toc's extension namespace for IATI (version 1): the `toc:` prefix."""
RECORD = f"{{{NAMESPACE}}}record"


def add_record(activity: etree._Element, programme: Programme) -> None:
    """End `activity` with toc's record of `programme` (every character as ASCII JSON: XML holds it)."""
    from lxml import etree

    from toc.io import dump

    data = json.loads(dump(programme))
    record = etree.SubElement(activity, RECORD, {"format-version": str(FORMAT_VERSION)}, nsmap={"toc": NAMESPACE})
    record.text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))


def record_of(activity: etree._Element) -> tuple[dict[str, Any] | None, str | None]:
    """toc's record in `activity` as a model's data, or None; and a note when a record is there
    but cannot be used (an untrusted file may hold anything in it)."""
    records = list(activity.iterchildren(RECORD))
    if not records:
        return None, None
    where = f"toc's record (line {line_of(records[0])})"
    if len(records) > 1:
        return None, f"{where}: the activity has {len(records)} records, so none is used"
    try:
        data = json.loads(records[0].text or "")
    except (ValueError, RecursionError):
        return None, f"{where} is not JSON: not used"
    if not isinstance(data, dict):
        return None, f"{where} is not a JSON object: not used"
    return data, None
