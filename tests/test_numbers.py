"""One numeric domain for the model: finite, at most `MAX_MAGNITUDE` in magnitude, enforced at load.

Whatever number the loader accepts, nothing downstream (the checks, the report and its charts,
the workbook export, measurements) may fail on it; whatever it refuses, it refuses with a place.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toc
from toc.cli import main
from toc.model.base import MAX_MAGNITUDE
from toc.safety.positions import MAX_INTEGER_DIGITS

from .conftest import ROOT

LOGFRAME = ROOT / "examples" / "logframe" / "programme.json"
MEASUREMENTS = ROOT / "examples" / "logframe" / "measurements.csv"


def _run(argv: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _with_target(value: str) -> str:
    """The logframe example with its first indicator target's value written as `value`."""
    text = LOGFRAME.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["indicators"][0]["targets"][0]["value"] == 600
    return json.dumps(data).replace('"value": 600', f'"value": {value}', 1)


@pytest.mark.parametrize(
    "number",
    ["9" * 5000, "-" + "9" * 4301, "9" * 400, "1" + "0" * 16, "1e308", "-1e308", "1e999", "NaN", "-Infinity"],
)
def test_a_number_outside_the_domain_is_refused_with_its_place(number: str, tmp_path: Path) -> None:
    text = _with_target(number)
    with pytest.raises(toc.ModelError) as raised:
        toc.loads(text)
    (problem,) = raised.value.problems
    assert problem.pointer == "/indicators/0/targets/0/value"
    assert problem.line == 1
    assert problem.column is not None
    model = tmp_path / "model.json"
    model.write_text(text, encoding="utf-8")
    for argv in (["check", str(model)], ["show", str(model)], ["export", str(model), "--format", "json-graph"]):
        code, _, err = _run(argv)
        assert code == 2, (argv, err)
        assert "Traceback" not in err
    if len(number) > MAX_INTEGER_DIGITS:
        assert f"more than {MAX_INTEGER_DIGITS:,} digits" in str(raised.value)


def test_a_long_integer_on_standard_input_is_placed(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    text = _with_target("9" * 5000).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    code, out, err = _run(["check", "-"])
    assert code == 2
    assert "<stdin>:1:" in out + err
    assert "/indicators/0/targets/0/value" in out + err


def test_the_bounds_themselves_are_accepted() -> None:
    for value in (MAX_MAGNITUDE, -MAX_MAGNITUDE, float(MAX_MAGNITUDE), 1e-300):
        programme = toc.loads(_with_target(json.dumps(value)))
        assert programme.indicators[0].targets[0].value == value


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
def test_loads_takes_any_bytes_like_text(kind: Any) -> None:
    data = LOGFRAME.read_bytes()
    assert toc.loads(kind(data)) == toc.loads(data.decode("utf-8"))


# any number the loader accepts: whole or not, up to the bound, as a model or a measurement holds it
domain = st.one_of(
    st.integers(-MAX_MAGNITUDE, MAX_MAGNITUDE),
    st.floats(-MAX_MAGNITUDE, MAX_MAGNITUDE, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=domain, baseline=domain, measured=domain)
def test_nothing_downstream_fails_on_an_accepted_number(
    target: float, baseline: float, measured: float, tmp_path: Path
) -> None:
    data = json.loads(LOGFRAME.read_text(encoding="utf-8"))
    indicator = data["indicators"][0]
    indicator["targets"][0]["value"] = target
    indicator["baselines"][0]["value"] = baseline
    model = tmp_path / "model.json"
    model.write_text(json.dumps(data), encoding="utf-8")
    toc.load(model)  # accepted
    lines = MEASUREMENTS.read_text(encoding="utf-8").splitlines()
    value = repr(measured) if isinstance(measured, float) else str(measured)
    lines.append(f"{indicator['id']},2023,{value},teachers,,Register,,")
    measurements = tmp_path / "m.csv"
    measurements.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert math.isfinite(float(value))
    for argv in (
        ["check", str(model)],
        ["show", str(model)],
        ["export", str(model), "--format", "xlsx", "-o", str(tmp_path / "m.xlsx")],
        ["report", str(model), "--period", "2023", "--measurements", str(measurements), "--format", "md"],
        ["report", str(model), "--period", "2023", "--measurements", str(measurements), "--format", "html",
         "-o", str(tmp_path / "r.html")],
    ):  # fmt: skip
        code, _, err = _run(argv)
        assert code in (0, 1), (argv, err)


def test_a_measurement_outside_the_domain_is_refused_at_its_cell(tmp_path: Path) -> None:
    lines = MEASUREMENTS.read_text(encoding="utf-8").splitlines()
    lines.append("active-lessons,2023,1e308,percent,,Lesson observations,,")
    measurements = tmp_path / "m.csv"
    measurements.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = _run(["report", str(LOGFRAME), "--period", "2023", "--measurements", str(measurements)])
    assert code == 2
    assert f"m.csv:{len(lines)}:3" in err
    assert "magnitude" in err


def test_a_measurement_in_json_outside_the_domain_is_refused_at_its_pointer(tmp_path: Path) -> None:
    from toc.monitoring.measurements import load_observations

    path = tmp_path / "m.json"
    row = {"indicator_id": "x", "period": "2023", "value": 10**400, "unit": "u", "source": "s"}
    path.write_text(json.dumps({"observations": [row]}), encoding="utf-8")
    with pytest.raises(toc.ModelError) as raised:
        load_observations(path)
    assert raised.value.problems[0].pointer == "/observations/0/value"
