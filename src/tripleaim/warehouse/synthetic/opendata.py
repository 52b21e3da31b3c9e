"""Readers for the real open data the footprint is built on (``<shared>/data``).

Each function returns plain pandas frames with the columns the generator needs; the
folder READMEs in ``../shared/data`` give publisher, licence and provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import yaml

from tripleaim.errors import NotFoundError, UserError

PACKAGE_DATA = resources.files("tripleaim.warehouse.synthetic") / "data"


@dataclass(frozen=True)
class Footprint:
    """A footprint: its ICB and the acute trusts serving each district."""

    key: str
    name: str
    icb_code: str
    home_trusts: dict[str, str]
    community_trusts: tuple[str, ...]
    out_of_area_share: float

    def home_trust(self, lad_code: str) -> str:
        """The acute trust serving ``lad_code``."""
        return self.home_trusts.get(lad_code, self.home_trusts["default"])


def footprints() -> dict[str, Footprint]:
    """Every footprint the generator can build, from ``data/footprints.yaml``."""
    raw: dict[str, dict[str, Any]] = yaml.safe_load(
        (PACKAGE_DATA / "footprints.yaml").read_text(encoding="utf-8")
    )
    return {
        key: Footprint(
            key=key,
            name=value["name"],
            icb_code=value["icb_code"],
            home_trusts={str(k): str(v) for k, v in value["home_trusts"].items()},
            community_trusts=tuple(value["community_trusts"]),
            out_of_area_share=float(value["out_of_area_share"]),
        )
        for key, value in raw.items()
    }


def footprint(key: str) -> Footprint:
    """The footprint called ``key``, with the choices in the error."""
    known = footprints()
    if key not in known:
        raise NotFoundError(
            f"Unknown footprint {key!r}; choose one of {', '.join(known)}."
        )
    return known[key]


class OpenData:
    """Typed access to ``<shared>/data`` files, read with DuckDB's CSV reader."""

    def __init__(self, data_dir: Path) -> None:
        if not (data_dir / "README.md").exists():
            raise UserError(
                f"The open data folder {data_dir} was not found. It should be ../shared/data "
                "beside the project; set TRIPLEAIM_SHARED_DIR to the folder holding data/."
            )
        self.data_dir = data_dir
        self._con = duckdb.connect()

    def frame(self, relative: str, sql: str = "SELECT * FROM t") -> pd.DataFrame:
        """Run ``sql`` over the CSV at ``relative`` (exposed as ``t``)."""
        path = self.data_dir / relative
        if not path.exists():
            raise NotFoundError(f"Open data file {path} is missing.")
        literal = str(path).replace("'", "''")
        self._con.execute(
            f"CREATE OR REPLACE TEMP VIEW t AS SELECT * FROM read_csv('{literal}', header=true)"
        )
        return self._con.execute(sql).df()

    def lsoa_lookup(self) -> pd.DataFrame:
        """Every England 2011 LSOA with MSOA, LAD, sub-ICB and ICB (2022)."""
        return self.frame(
            "geography_lookups/lsoa11_msoa11_ccg21_stp21_sicbl22_icb22_lad_england.csv",
            "SELECT lsoa11cd AS lsoa_code, lsoa11nm AS lsoa_name, msoa11cd AS msoa_code, "
            "msoa11nm AS msoa_name, lad21cd AS lad_code, lad21nm AS lad_name, "
            "sicbl22cd AS sub_icb_gss, sicbl22cdh AS sub_icb_code, sicbl22nm AS sub_icb_name, "
            "icb22cd AS icb_gss, icb22cdh AS icb_code, icb22nm AS icb_name FROM t",
        )

    def imd(self) -> pd.DataFrame:
        """IMD 2019 score, rank and decile per 2011 LSOA."""
        return self.frame(
            "imd2019_lsoa11/imd2019_lsoa11_england.csv",
            "SELECT lsoa11cd AS lsoa_code, imd_score, imd_rank, imd_decile FROM t",
        )

    def lsoa_population(self) -> pd.DataFrame:
        """ONS mid-2020 persons by single year of age (0..89, 90+) per 2011 LSOA."""
        return self.frame(
            "population_estimates/ons_mid2020_lsoa11_syoa_persons_england.csv"
        )

    def england_sex_by_age(self) -> pd.DataFrame:
        """ONS mid-2020 England population by sex and five-year band."""
        return self.frame(
            "population_estimates/ons_mid_year_england_by_sex_quinary_age_2018_2023.csv",
            "SELECT sex, age_min, population FROM t WHERE year = 2020 AND age_band <> 'All ages' "
            "AND sex IN ('Female', 'Male')",
        )

    def registrations(self) -> pd.DataFrame:
        """Registered patients by practice and 2011 LSOA (July 2022)."""
        return self.frame(
            "gp_practices/gp_registered_patients_by_practice_lsoa11_2022-07_footprints.csv",
            "SELECT practice_code, lsoa11cd AS lsoa_code, number_of_patients, "
            "practice_icb_2024, lsoa_icb22 FROM t",
        )

    def practice_map(self) -> pd.DataFrame:
        """Practice -> PCN -> sub-ICB -> ICB (January 2022)."""
        return self.frame(
            "gp_practices/gp_practice_pcn_ccg_stp_map_2022-01_england.csv",
            "SELECT PRACTICE_CODE AS practice_code, PRACTICE_NAME AS practice_name, "
            "PRACTICE_POSTCODE AS postcode, PCN_CODE AS pcn_code, PCN_NAME AS pcn_name, "
            "CCG_CODE AS sub_icb_code, CCG_NAME AS sub_icb_name, STP_CODE AS icb_code, "
            "STP_NAME AS icb_name FROM t",
        )

    def epraccur(self) -> pd.DataFrame:
        """ODS GP practice register (January 2024)."""
        return self.frame(
            "gp_practices/epraccur_2024-01_england.csv",
            "SELECT organisation_code AS practice_code, name, postcode, "
            "CAST(open_date AS VARCHAR) AS open_date, CAST(close_date AS VARCHAR) AS close_date, "
            "status_code FROM t",
        )

    def qof_prevalence(self) -> pd.DataFrame:
        """QOF 2021-22 crude prevalence per practice (register / list size)."""
        return self.frame(
            "gp_practices/qof_2021-22_crude_prevalence_by_practice_england.csv"
        )

    def trusts(self) -> pd.DataFrame:
        """ODS NHS trusts (March 2022)."""
        return self.frame(
            "nhs_trusts/etr_2022-03_england.csv",
            "SELECT organisation_code AS trust_code, name, high_level_health_geography AS icb_code, "
            "postcode, CAST(open_date AS VARCHAR) AS open_date, CAST(close_date AS VARCHAR) AS close_date FROM t",
        )

    def trust_catchment(self) -> pd.DataFrame:
        """Share of each trust's admissions drawn from each footprint ICB (OHID)."""
        return self.frame(
            "nhs_trusts/trust_catchment_share_from_footprint_icbs_ohid.csv",
            "SELECT trust_code, icb22cdh AS icb_code, proportion_of_trust_admissions_from_icb AS share FROM t",
        )

    def life_table(self) -> pd.DataFrame:
        """ONS national life table, England 2017-2019: mx by sex and single year of age."""
        return self.frame(
            "mortality/ons_national_life_tables_england_1980-82_to_2017-19.csv",
            "SELECT sex, age, mx FROM t WHERE period = '2017-2019' ORDER BY sex, age",
        )

    def hes_admissions_by_age(self) -> pd.DataFrame:
        """HES finished admission episodes per 1,000 by five-year age, England 2015-16."""
        return self.frame(
            "hospital_activity/hes_apc_faes_by_5yr_age_england_2005-06_2015-16.csv",
            "SELECT age_min, faes_per_1000_population FROM t WHERE year = '2015-16' ORDER BY age_min",
        )

    def ae_monthly(self, icb_code: str) -> pd.DataFrame:
        """Monthly A&E attendances and 4-hour performance for one ICB (NHS England)."""
        return self.frame(
            "uec_activity/ae_attendances_emergency_admissions_monthly_by_icb_2022-04_2025-07.csv",
            f"SELECT month, total_attendances, attendances_over_4hours FROM t WHERE icb_cdh = '{icb_code}' ORDER BY month",
        )

    def utla_lookup(self) -> pd.DataFrame:
        """LAD (April 2021) -> upper-tier local authority, shipped with the package."""
        path = Path(str(PACKAGE_DATA / "lad21_utla21_england.csv"))
        return pd.read_csv(path, dtype=str).rename(
            columns={
                "lad21cd": "lad_code",
                "utla21cd": "place_code",
                "utla21nm": "place_name",
            }
        )[["lad_code", "place_code", "place_name"]]
