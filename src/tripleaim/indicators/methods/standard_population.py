"""The 2013 European Standard Population (ESP2013), 19 five-year bands, shipped in the package.

Source: Eurostat. Revision of the European Standard Population: report of Eurostat's
task force. Methodologies and Working Papers KS-RA-13-028, 2013.
https://ec.europa.eu/eurostat/web/products-manuals-and-guidelines/-/ks-ra-13-028
Reused with acknowledgement ("Source: Eurostat", Commission Decision 2011/833/EU).
The 19 values equal ``PHEindicatormethods::esp2013`` (0-4 ... 85-89, 90+; total 100,000).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import pandas as pd

ESP2013_TOTAL = 100_000


@cache
def _table() -> pd.DataFrame:
    source = resources.files("tripleaim.indicators").joinpath("data/esp2013.csv")
    with source.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype={"ageband": "str"})
    if int(table["esp2013"].sum()) != ESP2013_TOTAL or len(table) != 19:
        msg = "the shipped ESP2013 table is damaged (expected 19 bands summing to 100,000)"
        raise RuntimeError(msg)
    return table


def esp2013() -> pd.DataFrame:
    """ESP2013 as a frame: ``ageband`` (``0-4`` ... ``90+``), ``age_min``, ``age_max``, ``esp2013``."""
    return _table().copy()


def esp2013_weights() -> npt.NDArray[np.float64]:
    """The 19 ESP2013 weights, youngest band first."""
    return _table()["esp2013"].to_numpy(dtype=np.float64)
