"""Shared fixtures: the district 8 model and the draft it was written from."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

import toc

ROOT = Path(__file__).resolve().parent.parent
DISTRICT8 = ROOT / "models" / "district8.json"
# The draft lives in the workplace's shared folder, beside the repository; CI lays it there too.
SEED = Path(os.environ.get("TOC_SEED", ROOT.parent / "shared" / "seed" / "hotspotrammeprogram-distrikt8-udkast.txt"))

# The test command on a developer's machine is quick: property tests try 30 examples each and the
# tests marked slow are skipped. CI (CI=true), or `--slow`, runs everything, with 200 examples.
settings.register_profile("default", deadline=None, max_examples=30, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "default")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the tests marked slow (CI runs them always)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="slow: bash scripts/test.sh --slow runs it, and CI does")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def district8() -> toc.Programme:
    return toc.load(DISTRICT8)


@pytest.fixture(scope="session")
def district8_text() -> str:
    return DISTRICT8.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def draft() -> str:
    if not SEED.exists():
        pytest.skip(f"the draft is not at {SEED} (set TOC_SEED)")
    return SEED.read_text(encoding="utf-8")


def load_script(relative: str) -> ModuleType:
    """Import one of the repository's scripts (benchmarks/, scripts/) by its path."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
