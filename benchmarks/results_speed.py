"""Results frameworks: generators (WIP)."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from check_speed import synthetic

SPLIT = "sex"
CATEGORIES = ["female", "male", "other or not stated"]
LONG = "Share of households in the programme's districts that report reliable access to safe drinking water, as"


def category(number: int) -> str:
    """The name of a split's `number`th category."""
    return CATEGORIES[number] if number < len(CATEGORIES) else f"category {number}"


def periods(count: int, start: int = 2010) -> list[str]:
    """`count` reporting periods: quarters from `start` (`2010Q1`, `2010Q2`, …), as donors report."""
    return [f"{start + i // 4}Q{1 + i % 4}" for i in range(count)]


def results_framework(
    elements: int, indicators: int, period_count: int = 20, splits: int = 3, seed: int = 26
) -> dict[str, Any]:
    """A programme of `elements` elements and `indicators` indicators at several levels, each with a
    dated baseline, a total target per year, and per period a total actual and one per category of
    `splits` categories (the disaggregation by sex), long titles; about a tenth off track."""
    rng = random.Random(seed)
    data = synthetic(elements)
    ids = [e["id"] for e in data["elements"] if not e["id"].startswith("L0-")]  # not the resources
    spans = periods(period_count)
    years = sorted({p[:4] for p in spans})
    made = []
    for i in range(indicators):
        start = rng.randrange(20, 80)
        slope = rng.uniform(-1, 4)
        actuals = []
        for k, period in enumerate(spans):
            total = round(start + slope * k + rng.uniform(-3, 3), 1)
            actuals.append({"period": period, "value": total})
            shares = [rng.uniform(0.2, 0.5) for _ in range(splits)]
            actuals += [
                {"period": period, "value": round(total * share, 1), "disaggregation": {SPLIT: category(c)}}
                for c, share in enumerate(shares)
            ]
        made.append(
            {
                "id": f"ind-{i:06}",
                "measures": ids[i % len(ids)],
                "title": f"{LONG} {i}",
                "unit": "households",
                "direction": "ascending",
                "baselines": [{"value": start, "date": f"{int(years[0]) - 1}"}],
                "targets": [{"period": y, "value": start + 3 * (k + 1) * 4} for k, y in enumerate(years)],
                "actuals": actuals,
                "responsible": data["organisations"][i % len(data["organisations"])]["id"],
                "frequency": "quarterly",
                "disaggregations": [SPLIT] if splits else [],
                "provenance": {"section": "Synthetic"},
            }
        )
    data["indicators"] = made
    data["title"] = f"Synthetic results framework: {elements} elements, {indicators} indicators"
    return data
