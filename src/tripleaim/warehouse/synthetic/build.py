"""Build the synthetic footprint into the warehouse: deterministic for a seed, scalable.

The steps run in dependency order (people, conditions, leaving and deaths, births,
hospital, emergency, outpatient and prescribing activity, national comparators) and the
result replaces the warehouse's contents in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from tripleaim.warehouse.schema import LOADABLE_TABLES
from tripleaim.warehouse.synthetic import rates
from tripleaim.warehouse.synthetic.assemble import assemble_tables
from tripleaim.warehouse.synthetic.calendar import (
    NO_DATE,
    PERIOD_END,
    PERIOD_START,
    age_in_years,
)
from tripleaim.warehouse.synthetic.comparators import build_comparators
from tripleaim.warehouse.synthetic.conditions import Conditions, generate_conditions
from tripleaim.warehouse.synthetic.emergency import attendances, monthly_profile
from tripleaim.warehouse.synthetic.events import Providers
from tripleaim.warehouse.synthetic.exposure import exposure_of
from tripleaim.warehouse.synthetic.geography import load_geography, lsoas_table
from tripleaim.warehouse.synthetic.hospital import (
    elective_spells,
    emergency_spells,
    maternity_spells,
)
from tripleaim.warehouse.synthetic.identity import identities
from tripleaim.warehouse.synthetic.opendata import OpenData, footprint
from tripleaim.warehouse.synthetic.organisations import (
    build_organisations,
    footprint_registrations,
)
from tripleaim.warehouse.synthetic.outpatients import appointments
from tripleaim.warehouse.synthetic.people import generate_people, male_share_by_band
from tripleaim.warehouse.synthetic.prescribing import prescriptions
from tripleaim.warehouse.synthetic.vital import (
    apply_deaths,
    apply_leaving,
    generate_births,
    mx_lookup,
)

STEPS = (
    "geography and organisations",
    "people",
    "conditions",
    "deaths and births",
    "inpatient spells",
    "A&E attendances",
    "outpatient appointments",
    "prescribing",
    "national comparators",
    "writing the warehouse",
)

Progress = Callable[[str], None]


@dataclass
class BuildSummary:
    """What was built, how big, and how long it took."""

    footprint: str
    seed: int
    scale: float
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def build_footprint(
    con: duckdb.DuckDBPyConnection,
    *,
    footprint_key: str,
    seed: int,
    scale: float,
    open_data_dir: Path,
    progress: Progress | None = None,
) -> BuildSummary:
    """Generate the footprint and replace the warehouse's tables with it."""
    started = time.perf_counter()
    step = progress or (lambda _name: None)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(16)]
    data = OpenData(open_data_dir)
    fp = footprint(footprint_key)

    step(STEPS[0])
    geo = load_geography(data, fp)
    lsoas = lsoas_table(geo)
    regs = footprint_registrations(data, fp, set(lsoas["lsoa_code"]))
    orgs = build_organisations(data, fp, lsoas, regs)
    practice_codes = orgs.practices["practice_code"].tolist()
    male_share = male_share_by_band(data.england_sex_by_age())

    step(STEPS[1])
    people = generate_people(streams[0], geo, regs, practice_codes, male_share, scale)

    step(STEPS[2])
    conditions = generate_conditions(
        streams[1], people, practice_codes, data.qof_prevalence()
    )

    step(STEPS[3])
    mx = mx_lookup(data.life_table())
    apply_leaving(streams[2], people)
    deaths = apply_deaths(streams[3], people, conditions.count, conditions, mx)
    births, babies = generate_births(streams[4], people)
    baby_deaths = apply_deaths(
        streams[5], babies, np.zeros(len(babies), dtype=np.int64), None, mx
    )
    offset = len(people)
    everyone = people.append(babies)
    conditions = Conditions(
        names=conditions.names,
        has=np.vstack(
            [conditions.has, np.zeros((len(babies), len(conditions.names)), dtype=bool)]
        ),
        diagnosed=np.vstack(
            [
                conditions.diagnosed,
                np.full((len(babies), len(conditions.names)), NO_DATE, dtype=np.int64),
            ]
        ),
    )
    everyone.person_id = 10_000_000 + streams[6].permutation(len(everyone)).astype(
        np.int64
    )
    exp = exposure_of(everyone)
    multiplier = rates.normalise_within_bands(
        rates.person_multiplier(everyone.latent, conditions.count),
        age_in_years(everyone.dob, exp.start),
    )
    providers = Providers.build(fp, lsoas, orgs.acute_trusts)

    step(STEPS[4])
    faes = data.hes_admissions_by_age()["faes_per_1000_population"].to_numpy(np.float64)
    emergency = emergency_spells(
        streams[7], everyone, exp, conditions, providers, multiplier
    )
    elective = elective_spells(
        streams[8], everyone, exp, conditions, providers, multiplier, faes
    )
    maternity = maternity_spells(streams[9], everyone, births, providers)

    step(STEPS[5])
    ae_monthly = data.ae_monthly(fp.icb_code)
    ae = attendances(
        streams[10], everyone, exp, emergency, providers, multiplier, ae_monthly
    )

    step(STEPS[6])
    outpatients = appointments(
        streams[11], everyone, exp, conditions, providers, multiplier
    )

    step(STEPS[7])
    rx = prescriptions(streams[12], everyone, exp, conditions)

    step(STEPS[8])
    _, breach = monthly_profile(ae_monthly)
    breach_fy = _breach_by_financial_year(breach)
    national = build_comparators(
        streams[13], geo, male_share, mx, faes, breach_fy, fp.icb_code
    )

    step(STEPS[9])
    tables = assemble_tables(
        everyone=everyone,
        conditions=conditions,
        deaths=deaths,
        baby_deaths=baby_deaths,
        baby_offset=offset,
        births=births,
        lsoas=lsoas,
        organisations=orgs.table,
        practice_codes=practice_codes,
        spells=(emergency, elective, maternity),
        ae=ae,
        outpatients=outpatients,
        prescribing=rx,
        national=national,
        identity=identities(streams[15], everyone.person_id, everyone.sex),
        facts={
            "footprint": fp.key,
            "footprint_name": fp.name,
            "icb_code": fp.icb_code,
            "seed": str(seed),
            "scale": str(scale),
            "period_start": PERIOD_START.isoformat(),
            "period_end": PERIOD_END.isoformat(),
        },
    )
    write_tables(con, tables)
    return BuildSummary(
        footprint=fp.key,
        seed=seed,
        scale=scale,
        rows={k: v.num_rows for k, v in tables.items()},
        seconds=time.perf_counter() - started,
    )


def _breach_by_financial_year(breach: dict[str, float]) -> dict[str, float]:
    """Mean monthly 4-hour breach share for each financial year."""
    out: dict[str, list[float]] = {}
    for month, share in breach.items():
        year, mon = int(month[:4]), int(month[5:7])
        start = year if mon >= 4 else year - 1
        out.setdefault(f"{start}/{str(start + 1)[2:]}", []).append(share)
    return {fy: float(np.mean(v)) for fy, v in out.items()}


def write_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    """Replace every loadable table's rows, and clear load history, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for name in (*LOADABLE_TABLES, "load_batches", "quarantine", "build_facts"):
            con.execute(f'DELETE FROM "{name}"')
        for name, data in tables.items():
            con.register("_incoming", data)
            con.execute(f'INSERT INTO "{name}" SELECT * FROM _incoming')
            con.unregister("_incoming")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
