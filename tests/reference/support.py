"""Reading the PHEindicatormethods fixtures exactly, and comparing results cell by cell.

The fixtures are R ``write.csv`` files: text is quoted, numbers and ``NA``/``NaN``/
``Inf`` are not, doubles carry 17 significant digits. pandas' reader would merge
``NA`` with ``NaN`` and with the text "NA", so this reader keeps every token's
quoting and turns each column into either numbers (with an NA mask) or text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

FIXTURES = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "pheindicatormethods"
)
ABS_TOLERANCE = 1e-9
REL_TOLERANCE = 1e-12


def _tokens(line: str) -> list[tuple[str, bool]]:
    """Split one CSV record into (text, was_quoted) fields."""
    fields: list[tuple[str, bool]] = []
    i, n = 0, len(line)
    while i <= n:
        if i < n and line[i] == '"':
            j, chunk = i + 1, []
            while True:
                k = line.index('"', j)
                chunk.append(line[j:k])
                if k + 1 < n and line[k + 1] == '"':
                    chunk.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            fields.append(("".join(chunk), True))
        else:
            k = line.find(",", i)
            k = n if k < 0 else k
            fields.append((line[i:k], False))
            i = k
        i += 1
    return fields


def _records(text: str) -> list[list[tuple[str, bool]]]:
    """Records of a CSV text, joining physical lines inside quotes."""
    records, pending = [], ""
    for line in text.splitlines():
        pending = f"{pending}\n{line}" if pending else line
        if pending.count('"') % 2 == 0:
            records.append(_tokens(pending))
            pending = ""
    return records


@dataclass(frozen=True)
class RColumn:
    """A fixture column: numbers with an NA mask, or text with ``None`` for NA."""

    name: str
    numbers: np.ndarray | None
    na: np.ndarray
    text: list[str | None] | None


@dataclass(frozen=True)
class RTable:
    """A fixture file: its columns, in order."""

    name: str
    columns: dict[str, RColumn]

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def __len__(self) -> int:
        first = next(iter(self.columns.values()))
        return len(first.na)

    def frame(self) -> pd.DataFrame:
        """As a pandas frame of inputs (numbers as float with NaN, text as str)."""
        data: dict[str, object] = {}
        for name, column in self.columns.items():
            if column.numbers is not None:
                data[name] = np.where(column.na, np.nan, column.numbers)
            elif all(t in ("TRUE", "FALSE", None) for t in column.text or []):
                data[name] = pd.array(
                    [None if t is None else t == "TRUE" for t in column.text or []],
                    dtype="boolean",
                )
            else:
                data[name] = pd.Series(column.text, dtype="str")
        return pd.DataFrame(data)


_SPECIAL = {"NaN": math.nan, "Inf": math.inf, "-Inf": -math.inf}


def _number(cell: str) -> float:
    if cell == "NA":
        return 0.0
    return _SPECIAL[cell] if cell in _SPECIAL else float(cell)


def read_fixture(name: str, directory: Path = FIXTURES) -> RTable:
    """Read one fixture file, keeping R's NA and NaN apart."""
    records = _records((directory / name).read_text(encoding="utf-8"))
    header = [field for field, _ in records[0]]
    rows = records[1:]
    columns: dict[str, RColumn] = {}
    for index, column_name in enumerate(header):
        cells = [row[index] for row in rows]
        quoted = any(q for _, q in cells)
        bare = [t for t, q in cells if not q and t != "NA"]
        logical = bare and all(t in ("TRUE", "FALSE") for t in bare)
        if quoted or logical:
            text = [None if (t == "NA" and not q) else t for t, q in cells]
            columns[column_name] = RColumn(
                column_name, None, np.array([t is None for t in text]), text
            )
            continue
        na = np.array([t == "NA" for t, _ in cells])
        numbers = np.array([_number(t) for t, _ in cells], dtype=np.float64)
        columns[column_name] = RColumn(column_name, numbers, na, None)
    return RTable(name, columns)


def numbers_match(
    actual: np.ndarray, expected: np.ndarray, *, abs_tol: float, rel_tol: float
) -> np.ndarray:
    """Elementwise: both NaN, equal infinities, or within abs or rel tolerance."""
    with np.errstate(invalid="ignore"):
        close = np.abs(actual - expected) <= np.maximum(
            abs_tol, rel_tol * np.abs(expected)
        )
    both_nan = np.isnan(actual) & np.isnan(expected)
    same_inf = np.isinf(expected) & (actual == expected)
    return np.asarray(close | both_nan | same_inf)


def _actual_numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A result column as (float values, NA mask), keeping NaN apart from NA."""
    values = np.asarray(series.to_numpy(dtype=np.float64, na_value=np.nan))
    if isinstance(series.dtype, pd.Float64Dtype):
        return values, np.asarray(series.isna(), dtype=bool)
    return values, np.isnan(values)


def _as_r_text(value: object) -> str | None:
    """A result cell as R would write it: logicals as TRUE/FALSE, missing as None."""
    if (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
    ):
        return None
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    return str(value)


def assert_matches(
    actual: pd.DataFrame,
    expected: RTable,
    *,
    columns: Sequence[str] | None = None,
    keys: Sequence[str] = (),
    abs_tol: float = ABS_TOLERANCE,
    rel_tol: float = REL_TOLERANCE,
    tolerances: dict[str, tuple[float, float]] | None = None,
) -> dict[str, float]:
    """Assert every named column of ``actual`` matches the fixture, row for row.

    Numbers: abs <= ``abs_tol`` or rel <= ``rel_tol`` (per-column overrides in
    ``tolerances``); NA where and only where R has NA; NaN where R has NaN. Text:
    identical, NA where R has NA.

    Returns:
        The largest absolute difference found per numeric column (for the report).
    """
    names = list(columns) if columns is not None else expected.names
    assert len(actual) == len(expected), (
        f"{len(actual)} rows, reference has {len(expected)}"
    )
    label = (
        actual[list(keys)].astype(str).agg("/".join, axis=1).tolist()
        if keys
        else [f"row {i + 1}" for i in range(len(actual))]
    )
    worst: dict[str, float] = {}
    problems: list[str] = []
    for name in names:
        assert name in actual.columns, f"result lacks column {name!r}"
        want = expected.columns[name]
        if want.numbers is not None:
            got, got_na = _actual_numbers(actual[name])
            a_tol, r_tol = (tolerances or {}).get(name, (abs_tol, rel_tol))
            ok = (got_na == want.na) & (
                want.na | numbers_match(got, want.numbers, abs_tol=a_tol, rel_tol=r_tol)
            )
            both = ~want.na & ~got_na & np.isfinite(want.numbers) & np.isfinite(got)
            with np.errstate(invalid="ignore"):
                gap = np.abs(got - want.numbers)
            worst[name] = float(np.max(gap[both], initial=0.0))
            for i in np.flatnonzero(~ok)[:5]:
                shown = "NA" if got_na[i] else repr(got[i])
                wanted = "NA" if want.na[i] else repr(want.numbers[i])
                problems.append(
                    f"{name} at {label[i]}: got {shown}, reference {wanted}"
                )
        else:
            got_text = [
                _as_r_text(value) for value in actual[name].astype(object).tolist()
            ]
            for i, (g, w) in enumerate(zip(got_text, want.text or [], strict=True)):
                if g != w:
                    problems.append(f"{name} at {label[i]}: got {g!r}, reference {w!r}")
                    if len(problems) > 40:
                        break
    assert not problems, "\n".join(problems[:40])
    return worst


def subset(table: RTable, column: str, value: str) -> RTable:
    """The rows of a fixture whose text ``column`` equals ``value``."""
    keep = np.array([t == value for t in table.columns[column].text or []])
    columns = {
        name: RColumn(
            name,
            None if c.numbers is None else c.numbers[keep],
            c.na[keep],
            None
            if c.text is None
            else [t for t, k in zip(c.text, keep, strict=True) if k],
        )
        for name, c in table.columns.items()
    }
    return RTable(table.name, columns)


def output_fixtures() -> set[str]:
    """Every fixture file that holds a call's output (not an input or support file)."""
    manifest = read_fixture("manifest.csv")
    names = [n for n in manifest.columns["file"].text or [] if n is not None]
    support = {"esp2013.csv", "manifest.csv", "warnings.csv", "r_rng_reference.csv"}
    return {
        n
        for n in names
        if n not in support
        and "_input" not in n
        and n not in ("isr_reference.csv", "isr_observed_totals.csv")
    }
