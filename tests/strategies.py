"""Hypothesis strategies that build whole, valid programmes, on built-in and made-up frameworks.

Ids are unique across the programme (the model requires it); cross-references point at ids that
exist most of the time and at unknown ids some of the time, since a programme with a dangling
reference still loads (the checker reports it). Levels, bands and kinds are always ones the
programme's framework declares (the loader refuses others).
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from hypothesis import strategies as st

from toc import model as m
from toc.model.framework import BandTerm, Framework, LevelTerm, RelationTerm, builtin

# Text as programme staff write it: Danish letters, quotes, markup characters, newlines.
_ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=["Cs"],  # lone surrogates cannot be encoded
)
texts = st.text(_ALPHABET, min_size=1, max_size=40)
maybe_texts = st.none() | texts
_ID_FIRST = string.ascii_letters + string.digits
_ID_REST = _ID_FIRST + "_.-"


_id_stem = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(_ID_FIRST),
    st.text(st.sampled_from(_ID_REST), max_size=12),
)


def _provenance() -> st.SearchStrategy[m.Provenance]:
    return st.builds(
        m.Provenance,
        section=texts,
        drawing=st.none() | st.integers(1, 9),
        quote=maybe_texts,
    )


# the model's numeric domain (toc.model.base.MAX_MAGNITUDE), its bounds included
_numbers = st.integers(-(10**9), 10**9) | st.floats(-(10**15), 10**15, allow_nan=False, allow_infinity=False, width=64)
_dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
_partial_dates = st.none() | st.sampled_from(["2009", "2009-01", "2010-09-27", "2015-12-31"])


_term_ids = st.text(st.sampled_from(string.ascii_lowercase + "_"), min_size=1, max_size=10).filter(
    lambda ident: ident[0] != "_"
)


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    """A made-up framework: 1 to 9 levels, maybe links within levels, maybe bands and relation kinds."""
    level_ids = draw(st.lists(_term_ids, min_size=1, max_size=9, unique=True))
    band_ids = draw(st.lists(_term_ids, max_size=3, unique=True))
    kind_ids = draw(st.lists(_term_ids, max_size=3, unique=True))
    return Framework(
        title=draw(texts),
        language=draw(st.sampled_from(["en", "da", "fr", "pt-BR"])),
        levels=[LevelTerm(id=ident, label=draw(texts)) for ident in level_ids],
        links_within_level=draw(st.booleans()),
        bands=[BandTerm(id=ident, label=draw(texts)) for ident in band_ids],
        relation_kinds=[RelationTerm(id=ident, label=draw(texts), reporting=draw(st.booleans())) for ident in kind_ids],
        currency=draw(st.none() | st.sampled_from(["DKK", "EUR", "USD"])),
    )


@st.composite
def programmes(draw: st.DrawFn, max_elements: int = 12) -> m.Programme:
    """A valid `Programme` with every kind of part, small enough for fast round trips."""
    counter = iter(range(10**6))
    framework: str | Framework = draw(st.sampled_from(["hotspot", "logframe", "iati"]) | frameworks())
    vocabulary = builtin(framework) if isinstance(framework, str) else framework
    bands: list[str | None] = [band.id for band in vocabulary.bands] or [None]
    org_kinds = [kind.id for kind in vocabulary.organisation_kinds] or ["body", "team"]
    relation_kinds = [kind.id for kind in vocabulary.relation_kinds] or ["reports_to", "advises"]

    def new_id() -> str:
        # a drawn stem keeps ids varied; the counter keeps them unique
        return f"{draw(_id_stem)}-{next(counter)}"

    def ref(known: list[str]) -> str:
        # Mostly a real reference, sometimes a dangling one.
        if known and draw(st.integers(0, 9)) > 0:
            return draw(st.sampled_from(known))
        return "unknown-" + draw(st.text(st.sampled_from(string.ascii_lowercase), min_size=1, max_size=5))

    provenance = _provenance()

    elements = [
        m.Element(
            id=new_id(),
            level=draw(st.sampled_from(vocabulary.level_ids)),
            group=draw(st.none() | st.sampled_from(["A", "B"])),
            label=draw(texts),
            label_en=draw(maybe_texts),
            provenance=draw(provenance),
            interpretation=draw(maybe_texts),
        )
        for _ in range(draw(st.integers(0, max_elements)))
    ]
    element_ids = [element.id for element in elements]
    links = [
        m.Link(
            id=draw(st.none() | st.just(new_id())),
            source=ref(element_ids),
            target=ref(element_ids),
            rationale=draw(maybe_texts),
            assumptions=draw(st.lists(texts, max_size=2)),
            provenance=draw(provenance),
        )
        for _ in range(draw(st.integers(0, 2 * len(elements))))
    ]
    organisations = [
        m.Organisation(
            id=new_id(),
            name=draw(texts),
            kind=draw(st.sampled_from(org_kinds)),
            level=draw(st.sampled_from(bands)),
            roles=draw(st.lists(texts, max_size=2)),
            provenance=draw(provenance),
        )
        for _ in range(draw(st.integers(0, 6)))
    ]
    organisation_ids = [organisation.id for organisation in organisations]
    relations = [
        m.Relation(
            id=draw(st.none() | st.just(new_id())),
            kind=draw(st.sampled_from(relation_kinds)),
            source=ref(organisation_ids),
            target=ref(organisation_ids),
            note=draw(maybe_texts),
            provenance=draw(provenance),
        )
        for _ in range(draw(st.integers(0, 8)))
    ]

    def interventions(count: int) -> list[m.Intervention]:
        return [
            m.Intervention(id=new_id(), text=draw(texts), target_group=draw(maybe_texts), provenance=draw(provenance))
            for _ in range(count)
        ]

    challenges = [
        m.Challenge(
            id=new_id(),
            number=number,
            title=draw(texts),
            description=draw(texts),
            tasks=[
                m.Task(id=new_id(), text=draw(texts), provenance=draw(provenance))
                for _ in range(draw(st.integers(0, 2)))
            ],
            interventions=interventions(draw(st.integers(0, 2))),
            focus_areas=interventions(draw(st.integers(0, 2))),
            provenance=draw(provenance),
        )
        for number in range(1, draw(st.integers(0, 3)) + 1)
    ]
    challenge_ids = [challenge.id for challenge in challenges]
    goals = [
        m.EffectGoal(
            id=new_id(),
            challenge=ref(challenge_ids),
            statement=draw(texts),
            lead_in=draw(maybe_texts),
            target_group=draw(maybe_texts),
            direction=draw(st.none() | st.sampled_from(list(m.Direction))),
            target=draw(st.none() | st.builds(m.Target, text=texts, value=st.none() | _numbers, unit=maybe_texts)),
            measure=draw(
                st.none() | st.builds(m.Measure, indicator=texts, source_type=maybe_texts, method=maybe_texts)
            ),
            owner=draw(st.none() | st.just(ref(organisation_ids))),
            status=draw(st.sampled_from(list(m.GoalStatus))),
            elements=draw(st.lists(st.sampled_from(element_ids), max_size=3, unique=True)) if element_ids else [],
            provenance=draw(provenance),
        )
        for _ in range(draw(st.integers(0, 5)))
    ]
    figures = [
        m.Figure(
            id=new_id(),
            label=draw(texts),
            value=draw(_numbers),
            unit=draw(st.sampled_from(list(m.Unit))),
            estimate=draw(st.booleans()),
            area=draw(maybe_texts),
            as_of=draw(_partial_dates),
            data_source=draw(maybe_texts),
            provenance=draw(provenance),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    cycle = [
        m.CycleEvent(
            id=new_id(),
            when=draw(texts),
            month=draw(st.none() | st.integers(1, 12)),
            action=draw(st.sampled_from(list(m.CycleAction))),
            text=draw(texts),
            to=draw(st.none() | st.just(ref(organisation_ids))),
            provenance=draw(provenance),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    subjects = element_ids + challenge_ids + [goal.id for goal in goals]
    open_items = [
        m.OpenItem(
            id=new_id(),
            kind=draw(st.sampled_from(list(m.OpenItemKind))),
            text=draw(maybe_texts),
            subject=draw(st.none() | st.just(ref(subjects))),
            note=draw(texts),
            provenance=draw(provenance),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    start = draw(_dates)
    budget = draw(
        st.none()
        | st.builds(
            m.Budget,
            currency=st.just(vocabulary.currency),
            lines=st.just(
                [
                    m.BudgetLine(
                        id=new_id(),
                        label=draw(texts),
                        amount_per_year=draw(st.integers(0, 10**8)),
                        provenance=draw(provenance),
                    )
                ]
            ),
        )
    )
    fields: dict[str, Any] = {
        "format_version": 2,
        "framework": framework,
        "language": vocabulary.language,
        "id": draw(st.none() | st.just(new_id())),
        "title": draw(texts),
        "area": draw(maybe_texts),
        "period": draw(
            st.none()
            | st.just(
                m.Period(
                    start=start.isoformat(),
                    end=(start + dt.timedelta(days=draw(st.integers(0, 3000)))).isoformat(),
                    provenance=draw(provenance),
                )
            )
        ),
        "vision": draw(st.none() | st.builds(m.Statement, text=texts, provenance=provenance)),
        "figures": figures,
        "challenges": challenges,
        "effect_goals": goals,
        "elements": elements,
        "links": links,
        "organisations": organisations,
        "relations": relations,
        "annual_cycle": cycle,
        "budget": budget,
        "open_items": open_items,
    }
    return m.Programme(**fields)
