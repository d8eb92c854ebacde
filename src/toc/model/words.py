"""The words toc itself adds to drawings, summaries and reports, in English: the catalogue's keys.

A framework gives the same words in other languages (its `words`, by these keys); a word it does
not give falls back to the English here. Nothing user-visible is a literal in a renderer.

A noun printed with a count has a form per plural category, keyed `noun#one` and `noun#other`
(`{n}` is the count): CLDR's categories, which for whole numbers in English and Danish (and German,
Dutch, Swedish, Norwegian) are "one" for 1 and "other" for any other number. `Vocabulary.count`
picks the form.
"""

from __future__ import annotations

__all__ = ["ENGLISH", "PLURAL_CATEGORIES"]

PLURAL_CATEGORIES = ("one", "other")
"""The plural categories a counted noun has a form for (CLDR's, those of English and Danish)."""

ENGLISH: dict[str, str] = {
    # the drawings' own words
    "challenge": "Challenge",
    "vision": "Vision",
    "objective": "Objective",
    "effect goal": "Effect goal",
    "open": "open item",
    "no owner": "no owner",
    "no measure": "no measure",
    "(none)": "(none)",
    "to": "to",
    "by": "by",
    "owns": "measures",
    # nouns with a count, one form per plural category ({n} is the count)
    "element#one": "{n} element",
    "element#other": "{n} elements",
    "link#one": "{n} link",
    "link#other": "{n} links",
    "effect goal#one": "{n} effect goal",
    "effect goal#other": "{n} effect goals",
    "error#one": "{n} error",
    "error#other": "{n} errors",
    "warning#one": "{n} warning",
    "warning#other": "{n} warnings",
    "external factors": "External factors",
    "decreases": "\u2212 decreases (the source reduces the target)",
    # an overview's boxes and lines ({…} are filled in)
    "tangle": "Tangle {number}",
    "collapsed counts": "{elements}, {links} among them",
    "most linked": "most linked: {labels}",
    "links bundled": "{links} ({decreasing} decreasing)",
    "overview of tangles": "Overview: each tangle (elements that all lead to each other) is one box with its counts; "
    "\u00d7N is one line for N links",
    "overview of levels": "Overview: each level is one box with its counts; \u00d7N is one line for N links",
    # the strength overlay
    "strength of": "strength {value}",
    "strength unknown": "strength unknown ({low}–{high})",
    "strength legend": "line width: a link's confidence; ? confidence unknown; boxes: their pathway's strength",
    # the kinds of open item
    "placeholder": "to be written",
    "awaiting": "awaiting",
    "missing_owner": "no owner",
    "missing_measure": "no measure",
    "missing_direction": "no direction",
    "unclear": "unclear",
    # the status report's words ({…} are filled in)
    "report for": "Status report for {period} (to {end}).",
    "illustrative": "The action plan and measurements in this report are illustrative examples.",
    "summary": "Summary",
    "period of the programme": "Period of the programme",
    "from to": "{start} to {end}",
    "not given": "not given",
    "effect goals": "Effect goals",
    "indicators": "Indicators",
    "open items": "Open items",
    "check": "Check",
    "theory of change by status": "The theory of change by status",
    "activities of the action plan": "Activities of the action plan",
    "no action plan": "No action plan given.",
    "check findings": "Check findings",
    "none": "none",
    "other": "Other",
    "amount": "amount",
    "undated": "undated",
    "source not named": "source not named",
    # the status report's columns
    "goal": "Goal",
    "owner": "Owner",
    "measure": "Measure",
    "baseline": "Baseline",
    "latest": "Latest",
    "target": "Target",
    "status": "Status",
    "why": "Why",
    "indicator": "Indicator",
    "measures": "Measures",
    "responsible": "Responsible",
    "split": "Split",
    "activity": "Activity",
    "budget": "Budget",
    "used": "Used",
    "funding": "Funding",
    # the report's assumption sections (toc.monitoring.assumptions)
    "assumptions changed in the period": "Assumptions whose status changed in the period",
    "failed and doubtful assumptions": "Failed and doubtful assumptions, and what they cut off",
    "assumption": "Assumption",
    "reason": "Reason",
    "fails": "Fails with it",
    "what it cuts off": "Cuts off",
    "budget lines": "Budget lines",
    # the legends of the report's charts
    "actual": "Actual",
    "target range": "Target range",
    # the explorer's words
    "explorer": "Explorer",
    "search": "Search elements, organisations, indicators, assumptions, evidence",
    "select an element": (
        "Click an element, or tab to it and press Enter, to see what leads to it and what it leads to."
    ),
    "leads here": "Leads here",
    "leads on": "Leads on to",
    "no match": "No element matches.",
    "level": "Level",
    "theory of change": "Theory of change",
    "organisation": "Organisation",
    "annual cycle": "Annual cycle",
    "clear": "Clear",
    "band": "Band",
    "roles": "Roles",
    "composition": "Members",
    "relations": "Relations",
    "select an organisation": (
        "Click an organisation, or tab to it and press Enter, to see its roles, goals and relations."
    ),
    "fit": "Fit",
    "zoom in": "Zoom in",
    "zoom out": "Zoom out",
    # the explorer's reasoning (assumptions, evidence, strength)
    "colour links by": "Colour links by",
    "strength": "Strength",
    "evidence grade": "Evidence grade",
    "assumptions": "Assumptions",
    "evidence": "Evidence",
    "unknown": "unknown",
    "no pathway": "no pathway",
    "ungraded": "ungraded",
    "contradicted": "contradicted",
    "no evidence": "no evidence",
    "kind": "Kind",
    "underpins": "Underpins",
    "fails with it": "Fails with it",
    "cuts off": "Its failure cuts off",
    "supports": "Supports",
    "contradicts": "Contradicts",
    "supported by": "Supported by",
    "contradicted by": "Contradicted by",
    "source": "Source",
    "grade": "Grade",
    "date": "Date",
    "confidence": "Confidence",
    "link": "Link",
    "pathway strength": "Strongest pathway",
    "interpretation": "Interpretation",
    "and more": "… and {count} more",
    "strength weakest": "Strength of the strongest pathway through the link (as strong as its weakest link)",
    "strength product": "Strength of the strongest pathway through the link (its confidences multiplied)",
    "evidence legend": "The best grade of the evidence that supports the link",
    # an assumption's status
    "untested": "untested",
    "holding": "holding",
    "doubtful": "doubtful",
    "failed": "failed",
    # which way a goal's measure should move
    "fall": "fall",
    "rise": "rise",
    "reach_level": "reach a level",
    "threshold": "threshold",
    # where a goal or an indicator stands
    "target met": "target met",
    "met (descending)": "met (descending)",
    "on track": "on track",
    "off track": "off track",
    "no data": "no data",
    "no target": "no target",
}
"""Every word by its key (the key is the English word itself, or an open item's kind)."""
