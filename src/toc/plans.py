"""Annual action plans: the types (in `toc.model.plans`) and their loader (in `toc.io`), under the
name they have always had, so that `from toc.plans import ActionPlan, load_plan` keeps working."""

from __future__ import annotations

from toc.io import load_plan
from toc.model.plans import ActionPlan, Agreement, PlanActivity

__all__ = ["ActionPlan", "Agreement", "PlanActivity", "load_plan"]
