"""Convert the programmes others published (tests/data/external/*/) into toc model files.

Each folder holds the published source as it was (see its SOURCE.md) and the `programme.json`
this script makes of it. Run it after changing a converter; `--check` exits 1 when a committed
`programme.json` is not what the script makes (the tests run it so).

    python scripts/convert_external.py [--check]

Three kinds of source:
- a graph of the ToC-Maker tool (`source.json`), read by `toc import tocmaker`: its sections
  become the levels of an inline framework (a section may hold several columns, and links inside
  a section, so the framework allows links within a level), its nodes elements, its connections
  links with their confidence (0-100 there, 0-1 here), evidence and assumptions;
- a Theorymaker text (`source.txt`), read by `toc import theorymaker`;
- the SDG global indicator framework as Open SDG publishes it (`global_goals.yml`,
  `global_targets.yml`, `global_indicators.yml`, one goal's entries): targets lead to their goal,
  and each indicator is an effect goal measuring its target. The framework states no direction
  for an indicator, so each indicator's direction is an explicit open item, not a guess.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

import toc
from toc.formats.door import build
from toc.formats.theorymaker import read_theorymaker
from toc.formats.tocmaker import read_tocmaker

EXTERNAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "external"


def sdg(goals: dict[str, Any], targets: dict[str, Any], indicators: dict[str, Any]) -> dict[str, Any]:
    """A programme from one SDG's goal, targets and indicators."""
    ((number, goal),) = goals.items()
    section = f"Goal {number}"
    elements: list[dict[str, Any]] = [
        {
            "id": f"target-{code}",
            "level": "target",
            "label": f"{code.replace('-', '.')} {target['title']}",
            "provenance": {"section": f"{section} › Target {code.replace('-', '.')}"},
        }
        for code, target in targets.items()
    ]
    elements.append(
        {"id": f"goal-{number}", "level": "goal", "label": goal["title"], "provenance": {"section": section}}
    )
    links = [
        {"source": element["id"], "target": f"goal-{number}", "provenance": element["provenance"]}
        for element in elements[:-1]
    ]
    effect_goals = []
    open_items = []
    for key, text in indicators.items():
        code = key.removesuffix("-title")
        target = code.rsplit("-", 1)[0]
        dotted = code.replace("-", ".")
        effect_goals.append(
            {
                "id": f"indicator-{code}",
                "statement": text,
                "measure": {"indicator": text},
                "status": "open",
                "elements": [f"target-{target}"],
                "provenance": {"section": f"{section} › Indicator {dotted}"},
            }
        )
        open_items.append(
            {
                "id": f"open-direction-{code}",
                "kind": "missing_direction",
                "subject": f"indicator-{code}",
                "note": f"The global indicator framework does not say which way indicator {dotted} is to move.",
            }
        )
    return {
        "format_version": 2,
        "framework": {
            "title": "Sustainable Development Goals: targets and goals",
            "levels": [{"id": "target", "label": "Targets"}, {"id": "goal", "label": "Goal"}],
        },
        "language": "en",
        "title": f"SDG {number}: {goal['short']}",
        "source_document": "Global indicator framework for the Sustainable Development Goals, as Open SDG publishes it",
        "effect_goals": effect_goals,
        "elements": elements,
        "links": links,
        "open_items": open_items,
    }


def convert(folder: Path) -> str:
    """The canonical model file of the source in `folder`."""
    if (folder / "source.json").exists():
        source = read_tocmaker(folder / "source.json", source_document=f"ToC-Maker graph {folder.name}")
        return toc.dump(build(source))
    if (folder / "source.txt").exists():
        title = f"Theory Maker example {folder.name.removeprefix('theorymaker-')}"
        return toc.dump(build(read_theorymaker(folder / "source.txt", title=title)))
    parts = [
        yaml.safe_load((folder / f"{name}.yml").read_text(encoding="utf-8"))
        for name in ("global_goals", "global_targets", "global_indicators")
    ]
    data = sdg(*parts)
    # through the loader: what is written is what toc reads, in its canonical form
    return toc.dump(toc.loads(json.dumps(data, ensure_ascii=False), filename=str(folder / "programme.json")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a programme.json is out of date")
    args = parser.parse_args(argv)
    stale = []
    for folder in sorted(path for path in EXTERNAL.iterdir() if (path / "SOURCE.md").exists()):
        text = convert(folder)
        target = folder / "programme.json"
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(target)
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(EXTERNAL.parent.parent.parent)}")
    for target in stale:
        print(f"{target}: out of date; run python scripts/convert_external.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
