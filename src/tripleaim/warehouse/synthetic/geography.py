"""Real geography: every English 2011 LSOA with its areas, deprivation and age structure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from tripleaim.warehouse.synthetic.opendata import Footprint, OpenData

MAX_AGE = 100
"""Oldest single year generated; ONS gives 90+ as one group, spread as described below."""

NINETY_PLUS_DECAY = 0.78
"""Yearly survival-like decay spreading the ONS 90+ group over ages 90..100.

Chosen so the mean age of the 90+ group is about 93, as in ONS mid-year estimates of the
oldest old (ONS, *Estimates of the very old, including centenarians*, 2020).
"""


@dataclass(frozen=True)
class Geography:
    """National LSOA frame plus the footprint's subset.

    ``ages[i, a]`` is the ONS mid-2020 resident count of LSOA ``i`` at single age ``a``
    (0..100; the 90+ group spread by ``NINETY_PLUS_DECAY``).
    """

    national: pd.DataFrame
    ages: npt.NDArray[np.float64]
    footprint_mask: npt.NDArray[np.bool_]

    @property
    def footprint(self) -> pd.DataFrame:
        """The footprint's LSOAs, in national order."""
        return self.national[self.footprint_mask].reset_index(drop=True)


def _spread_ninety_plus(counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    weights = NINETY_PLUS_DECAY ** np.arange(MAX_AGE - 89)
    weights /= weights.sum()
    return counts[:, None] * weights[None, :]


def load_geography(data: OpenData, fp: Footprint) -> Geography:
    """Join lookups, IMD 2019, upper-tier authorities and mid-2020 ages for all of England."""
    lookup = data.lsoa_lookup()
    imd = data.imd()
    utla = data.utla_lookup()
    pop = data.lsoa_population()
    national = (
        lookup.merge(imd, on="lsoa_code", how="inner", validate="1:1")
        .merge(utla, on="lad_code", how="left", validate="m:1")
        .merge(
            pop[["lsoa11cd", "all_ages"]].rename(
                columns={"lsoa11cd": "lsoa_code", "all_ages": "resident_population"}
            ),
            on="lsoa_code",
            how="inner",
            validate="1:1",
        )
        .sort_values("lsoa_code")
        .reset_index(drop=True)
    )
    if national["place_code"].isna().any():
        missing = sorted(
            national.loc[national["place_code"].isna(), "lad_code"].unique()
        )
        raise ValueError(f"No upper-tier authority for districts {missing}")
    pop = pop.set_index("lsoa11cd").loc[national["lsoa_code"]]
    single = pop[[f"age_{a}" for a in range(90)]].to_numpy(dtype=np.float64)
    ages = np.hstack(
        [single, _spread_ninety_plus(pop["age_90_plus"].to_numpy(np.float64))]
    )
    mask = (national["icb_code"] == fp.icb_code).to_numpy()
    return Geography(national=national, ages=ages, footprint_mask=mask)


def lsoas_table(geo: Geography) -> pd.DataFrame:
    """The ``lsoas`` warehouse table for the footprint."""
    fp = geo.footprint
    return pd.DataFrame(
        {
            "lsoa_code": fp["lsoa_code"],
            "lsoa_name": fp["lsoa_name"],
            "msoa_code": fp["msoa_code"],
            "msoa_name": fp["msoa_name"],
            "lad_code": fp["lad_code"],
            "lad_name": fp["lad_name"],
            "place_code": fp["place_code"],
            "place_name": fp["place_name"],
            "sub_icb_code": fp["sub_icb_code"],
            "icb_code": fp["icb_code"],
            "imd_score": fp["imd_score"].astype(float),
            "imd_rank": fp["imd_rank"].astype("int64"),
            "imd_decile": fp["imd_decile"].astype("int64"),
            "resident_population": fp["resident_population"].astype("int64"),
        }
    )
