"""Reading one activity of an IATI file: found, validated alone, read by its version's rules, and
restored from toc's record when toc wrote it and it is unchanged since.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toc.errors import ModelError
from toc.formats.door import build
from toc.formats.iati.codes import line_of, parse_xml, stream_activities
from toc.formats.iati.extension import RECORD, record_of
from toc.formats.iati.fit import omissions
from toc.formats.iati.read import read_data
from toc.formats.iati.select import choose, legacy_version, pick, refused_schema, schema_problems_of
from toc.formats.iati.write import write_activity
from toc.formats.registry import Place, Source
from toc.safety.inputs import read_bytes

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["read_element", "read_iati"]


def read_iati(path: str | os.PathLike[str], identifier: str | None = None, *, validate: bool = True) -> Source:
    """One activity of an IATI activity file (2.x, or 1.x read by its own rules) as the data of a
    programme on the `iati` framework, or the programme toc's record in it keeps.

    `identifier` picks the activity (required when the file has more than one); it is validated
    alone, whatever its neighbours. `ModelError`, with lines and element paths, for XML that is not
    well-formed, an activity that breaks the schema (unless `validate` is False), or says something
    the model cannot take (a period that ends before it starts).
    """
    name = os.fspath(path)
    # streamed: only the chosen activity is kept whole, however many the file has
    return read_element(choose(stream_activities(read_bytes(path), name), identifier, name), name, validate=validate)


def read_element(activity: etree._Element, name: str, *, validate: bool = True) -> Source:
    """One `<iati-activity>` of the file `name` as a programme's data (see `read_iati`)."""
    legacy = legacy_version(activity)
    if validate and legacy is None:
        problems = schema_problems_of(activity, name)
        if problems:
            raise refused_schema(activity, name, problems)
    source = read_data(activity, name, legacy)
    record, note = record_of(activity)
    if record is None:
        return replace(source, notes=[note, *source.notes]) if note else source
    return _restored(source, record, activity, name)


def _restored(source: Source, record: dict[str, Any], activity: etree._Element, name: str) -> Source:
    """The programme toc's record keeps, if the activity's IATI content is what toc wrote with it;
    else `source` (IATI's fields alone), with a note saying why the record is not used."""
    element = next(activity.iterchildren(RECORD))
    where = f"toc's record (line {line_of(element)})"
    folder = Path(name).parent
    try:
        programme = build(Source(record, {"": Place(name, line_of(element))}, name, folder=folder))
        again = read_data(pick(parse_xml(write_activity(programme).encode("utf-8"), name).getroot(), None, name), name)
    except ModelError as error:
        why = f"{where} is not a programme toc can export ({error.problems[0] if error.problems else error}): not used"
        return replace(source, notes=[why, *source.notes])
    if again.data != source.data:
        changed = [key for key in sorted({*again.data, *source.data}) if again.data.get(key) != source.data.get(key)]
        why = (
            f"{where} is not used: the activity's IATI content was changed after toc wrote it (in: "
            f"{', '.join(changed)}), so what IATI cannot hold (links, assumptions, …) is not restored"
        )
        return replace(source, notes=[why, *source.notes])
    kept = omissions(programme)
    told = f"{where} restores what IATI's fields cannot hold ({len(kept)} parts)"
    return Source(
        record,
        {"": Place(name, line_of(activity))},
        name,
        folder=folder,
        notes=[told, *source.notes],
        summary=source.summary,
    )
