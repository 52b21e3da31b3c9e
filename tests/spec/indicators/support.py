"""Shared input tables and helpers for the indicator spec tests."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from tripleaim.indicators.counts import AnyCount, CountSpec

ORGANISATIONS = """
    org_code | org_type | parent_code | place_code | icb_code
    QHM      | icb      |             |            | QHM
    U00001   | pcn      | E06000047   | E06000047  | QHM
    U00002   | pcn      | E06000057   | E06000057  | QHM
    A81001   | practice | U00001      | E06000047  | QHM
    A81002   | practice | U00001      | E06000047  | QHM
    A81003   | practice | U00002      | E06000057  | QHM
"""

LSOAS = """
    lsoa_code | lad_code  | place_code | imd_decile
    E01000001 | E06000047 | E06000047  | 1
    E01000002 | E06000047 | E06000047  | 10
"""

YEARS = ["2022/23", "2023/24"]

_COUNT = TypeAdapter(CountSpec)


def count(**definition: Any) -> AnyCount:
    """A numerator or denominator from the fields a definition file would give."""
    return _COUNT.validate_python(definition)


def with_reference(tables: dict[str, str]) -> dict[str, str]:
    """``tables`` plus the organisation hierarchy and LSOAs every count reads."""
    return {"organisations": ORGANISATIONS, "lsoas": LSOAS, **tables}
