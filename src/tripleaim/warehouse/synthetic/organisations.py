"""The footprint's organisations: ICB, sub-ICB, places, districts, PCNs, practices, trusts, sites."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import cast

import pandas as pd

from tripleaim.warehouse.synthetic.opendata import Footprint, OpenData


@dataclass(frozen=True)
class Organisations:
    """The organisations table plus the lookups the generator needs."""

    table: pd.DataFrame
    practices: pd.DataFrame  # practice_code, pcn_code, place_code, list_size
    acute_trusts: pd.DataFrame  # trust_code, weight for out-of-area choice, home flag


def _ods_date(value: object) -> date | None:
    """ODS dates are YYYYMMDD (read as text or numbers); blanks stay missing."""
    if (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or value is pd.NaT
    ):
        return None
    text = str(value).split(".")[0].strip()
    if not text or text in {"nan", "None", "<NA>"}:
        return None
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def footprint_registrations(
    data: OpenData, fp: Footprint, lsoa_codes: set[str]
) -> pd.DataFrame:
    """Real registrations (July 2022) at footprint practices by residents of footprint LSOAs."""
    regs = data.registrations()
    pmap = data.practice_map()
    practices = set(pmap.loc[pmap["icb_code"] == fp.icb_code, "practice_code"]) | set(
        regs.loc[regs["practice_icb_2024"] == fp.icb_code, "practice_code"]
    )
    sel = regs[
        regs["practice_code"].isin(practices) & regs["lsoa_code"].isin(lsoa_codes)
    ]
    return sel[["practice_code", "lsoa_code", "number_of_patients"]].reset_index(
        drop=True
    )


def build_organisations(
    data: OpenData, fp: Footprint, lsoas: pd.DataFrame, registrations: pd.DataFrame
) -> Organisations:
    """Assemble the hierarchy from ODS and ONS files."""
    icb_name = f"NHS {fp.name} Integrated Care Board"
    rows: list[dict[str, object]] = [
        {
            "org_code": fp.icb_code,
            "org_name": icb_name,
            "org_type": "icb",
            "parent_code": None,
            "place_code": None,
        }
    ]
    sub = lsoas[["sub_icb_code"]].drop_duplicates()
    rows += [
        {
            "org_code": c,
            "org_name": f"{fp.name} sub-ICB location {c}",
            "org_type": "sub_icb",
            "parent_code": fp.icb_code,
            "place_code": None,
        }
        for c in sub["sub_icb_code"]
    ]
    places = (
        lsoas[["place_code", "place_name"]].drop_duplicates().sort_values("place_code")
    )
    rows += [
        {
            "org_code": r.place_code,
            "org_name": r.place_name,
            "org_type": "place",
            "parent_code": fp.icb_code,
            "place_code": r.place_code,
        }
        for r in places.itertuples()
    ]
    lads = (
        lsoas[["lad_code", "lad_name", "place_code"]]
        .drop_duplicates()
        .sort_values("lad_code")
    )
    rows += [
        {
            "org_code": r.lad_code,
            "org_name": r.lad_name,
            "org_type": "local_authority_district",
            "parent_code": r.place_code,
            "place_code": r.place_code,
        }
        for r in lads.itertuples()
        if cast(str, r.lad_code) != r.place_code
    ]

    # Practices: place = where most of the practice's registered patients live.
    with_place = registrations.merge(lsoas[["lsoa_code", "place_code"]], on="lsoa_code")
    # as_index=False makes these DataFrames; pandas-stubs types them as Series.
    by_place = cast(
        pd.DataFrame,
        with_place.groupby(["practice_code", "place_code"], as_index=False)[
            "number_of_patients"
        ].sum(),
    )
    top = by_place.sort_values(
        ["practice_code", "number_of_patients"], ascending=[True, False]
    ).drop_duplicates("practice_code")
    sizes = cast(
        pd.DataFrame,
        registrations.groupby("practice_code", as_index=False)[
            "number_of_patients"
        ].sum(),
    ).rename(columns={"number_of_patients": "list_size"})
    pmap = data.practice_map()
    ods = data.epraccur()
    practices = (
        top[["practice_code", "place_code"]]
        .merge(sizes, on="practice_code")
        .merge(
            pmap[
                ["practice_code", "practice_name", "postcode", "pcn_code", "pcn_name"]
            ],
            on="practice_code",
            how="left",
        )
        .merge(
            ods[["practice_code", "open_date", "close_date"]],
            on="practice_code",
            how="left",
        )
        .sort_values("practice_code")
        .reset_index(drop=True)
    )
    # PCN place = place of most of its practices' patients.
    pcn_place = (
        cast(
            pd.DataFrame,
            practices.groupby(["pcn_code", "pcn_name", "place_code"], as_index=False)[
                "list_size"
            ].sum(),
        )
        .sort_values(["pcn_code", "list_size"], ascending=[True, False])
        .drop_duplicates("pcn_code")
    )
    rows += [
        {
            "org_code": r.pcn_code,
            "org_name": r.pcn_name,
            "org_type": "pcn",
            "parent_code": r.place_code,
            "place_code": r.place_code,
        }
        for r in pcn_place.itertuples()
    ]
    rows += [
        {
            "org_code": r.practice_code,
            "org_name": r.practice_name,
            "org_type": "practice",
            "parent_code": r.pcn_code,
            "place_code": r.place_code,
            "postcode": r.postcode,
            "open_date": r.open_date,
            "close_date": r.close_date,
        }
        for r in practices.itertuples()
    ]

    trusts = data.trusts()
    catchment = data.trust_catchment()
    catchment = catchment[catchment["icb_code"] == fp.icb_code]
    home = set(fp.home_trusts.values())
    wanted = home | set(fp.community_trusts) | set(catchment["trust_code"])
    chosen = trusts[trusts["trust_code"].isin(wanted)].sort_values("trust_code")
    for r in chosen.itertuples():
        own = r.icb_code == fp.icb_code
        rows.append(
            {
                "org_code": r.trust_code,
                "org_name": r.name,
                "org_type": "trust",
                "parent_code": fp.icb_code if own else None,
                "icb_code": r.icb_code,
                "place_code": None,
                "postcode": r.postcode,
                "open_date": r.open_date,
                "close_date": r.close_date,
            }
        )
        rows.append(
            {
                "org_code": f"{r.trust_code}01",
                "org_name": f"{r.name} - main site (synthetic site code)",
                "org_type": "site",
                "parent_code": r.trust_code,
                "icb_code": r.icb_code,
                "place_code": None,
                "postcode": r.postcode,
                "open_date": r.open_date,
                "close_date": None,
            }
        )
    table = pd.DataFrame(rows)
    table["icb_code"] = table.get("icb_code", pd.Series(dtype="string")).fillna(
        fp.icb_code
    )
    for col in ("open_date", "close_date"):
        table[col] = pd.Series([_ods_date(v) for v in table[col]], dtype=object)
    table = table[
        [
            "org_code",
            "org_name",
            "org_type",
            "parent_code",
            "icb_code",
            "place_code",
            "postcode",
            "open_date",
            "close_date",
        ]
    ]

    acute = catchment[~catchment["trust_code"].isin(fp.community_trusts)].copy()
    acute = acute[acute["trust_code"].isin(chosen["trust_code"])]
    acute["home"] = acute["trust_code"].isin(home)
    practices = practices[["practice_code", "pcn_code", "place_code", "list_size"]]
    return Organisations(
        table=table, practices=practices, acute_trusts=acute.reset_index(drop=True)
    )
