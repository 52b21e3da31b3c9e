"""The synthetic population sits on the real footprint: ages per LSOA, list sizes, LSOA mix."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from tests.integration.conftest import SHARED

DATA = SHARED / "data"
START = "2021-04-01"
BANDED_AGE = f"""least((date_diff('year', date_of_birth, DATE '{START}')
    - (strftime(date_of_birth, '%m%d') > '0401')::int) // 5, 18)::int"""


def _ons_bands(lsoas: list[str]) -> pd.DataFrame:
    ons = pd.read_csv(
        DATA / "population_estimates/ons_mid2020_lsoa11_syoa_persons_england.csv"
    )
    ons = ons[ons["lsoa11cd"].isin(lsoas)].set_index("lsoa11cd")
    out = pd.DataFrame(index=ons.index)
    for band in range(19):
        cols = [f"age_{a}" for a in range(band * 5, min(band * 5 + 5, 90))]
        if band == 18:
            cols = ["age_90_plus"]
        out[band] = ons[cols].sum(axis=1)
    return out


def _shares(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.div(frame.sum(axis=1), axis=0)


def test_every_lsoa_age_structure_matches_ons_within_tolerance(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    """Tolerance: total variation distance between generated and ONS mid-2020 five-year
    age shares. Sampling alone gives about 0.04 for an LSOA of 1,600 people, so we require
    a median below 0.05, the 95th centile below 0.07, and below 0.01 for the footprint."""
    gen = full_db.sql(
        f"SELECT lsoa_code, {BANDED_AGE} AS band, count(*) AS n FROM persons "
        f"WHERE registration_start <= DATE '{START}' GROUP BY ALL"
    ).df()
    generated = gen.pivot_table(
        index="lsoa_code", columns="band", values="n", fill_value=0
    )
    ons = _ons_bands(list(generated.index))
    generated = generated.reindex(index=ons.index, columns=ons.columns, fill_value=0)
    tvd = 0.5 * (_shares(generated) - _shares(ons)).abs().sum(axis=1)
    assert len(tvd) == 480
    assert tvd.median() < 0.05
    assert tvd.quantile(0.95) < 0.07
    whole = (
        0.5
        * (
            generated.sum() / generated.to_numpy().sum()
            - ons.sum() / ons.to_numpy().sum()
        )
        .abs()
        .sum()
    )
    assert whole < 0.01


def test_practice_list_sizes_and_lsoa_mix_equal_the_real_registrations(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    """At scale 1.0 every real (practice, LSOA) registration count becomes exactly that many people."""
    regs = pd.read_csv(
        DATA
        / "gp_practices/gp_registered_patients_by_practice_lsoa11_2022-07_footprints.csv"
    )
    lsoas = set(full_db.sql("SELECT lsoa_code FROM lsoas").df()["lsoa_code"])
    practices = set(
        full_db.sql(
            "SELECT org_code FROM organisations WHERE org_type = 'practice'"
        ).df()["org_code"]
    )
    real = regs[regs["lsoa11cd"].isin(lsoas) & regs["practice_code"].isin(practices)]
    real = real.groupby(["practice_code", "lsoa11cd"])["number_of_patients"].sum()
    gen = (
        full_db.sql(
            f"SELECT practice_code, lsoa_code, count(*) AS n FROM persons "
            f"WHERE registration_start <= DATE '{START}' GROUP BY ALL"
        )
        .df()
        .set_index(["practice_code", "lsoa_code"])["n"]
    )
    gen.index.names = real.index.names
    joined = pd.concat([real, gen], axis=1).fillna(0)
    assert (joined.iloc[:, 0] == joined.iloc[:, 1]).all()
    assert 790_000 < joined.iloc[:, 1].sum() < 800_000
    assert len(practices) == 79


def test_small_scale_keeps_practice_list_sizes_in_proportion(small_footprint) -> None:
    """At scale 0.02 each practice's list is 2% of the real one, within Poisson-like noise (3 SD + 2)."""
    con = duckdb.connect(str(small_footprint.warehouse_path), read_only=True)
    gen = (
        con.sql(
            f"SELECT practice_code, count(*) AS n FROM persons WHERE registration_start <= DATE '{START}' GROUP BY ALL"
        )
        .df()
        .set_index("practice_code")["n"]
    )
    regs = pd.read_csv(
        DATA
        / "gp_practices/gp_registered_patients_by_practice_lsoa11_2022-07_footprints.csv"
    )
    lsoas = set(con.sql("SELECT lsoa_code FROM lsoas").df()["lsoa_code"])
    real = (
        regs[regs["lsoa11cd"].isin(lsoas) & regs["practice_code"].isin(gen.index)]
        .groupby("practice_code")["number_of_patients"]
        .sum()
        * 0.02
    )
    con.close()
    diff = (gen.reindex(real.index, fill_value=0) - real).abs()
    assert (diff <= 3 * np.sqrt(real) + 2).all()


def test_sex_ratio_by_age_follows_england(full_db: duckdb.DuckDBPyConnection) -> None:
    """Men are about half of young adults and about a third of those aged 90 and over."""
    rows = (
        full_db.sql(
            f"SELECT {BANDED_AGE} AS band, avg((sex = 'M')::int) AS male FROM persons "
            f"WHERE registration_start <= DATE '{START}' GROUP BY ALL ORDER BY band"
        )
        .df()
        .set_index("band")["male"]
    )
    assert 0.49 < rows[5] < 0.53
    assert 0.25 < rows[18] < 0.40


def test_the_same_seed_builds_the_same_footprint_and_another_seed_does_not(
    tmp_path,
) -> None:
    from tripleaim import warehouse
    from tripleaim.settings import Settings

    def digest(seed: int, name: str) -> list[tuple[str, int]]:
        s = Settings(
            data_dir=tmp_path / name, shared_dir=SHARED, scale=0.003, seed=seed
        )
        warehouse.generate(s)
        con = duckdb.connect(str(s.warehouse_path), read_only=True)
        out = [
            (t, con.execute(f'SELECT sum(hash(COLUMNS(*))) FROM "{t}"').fetchall()[0])
            for t in (
                "persons",
                "inpatient_spells",
                "ae_attendances",
                "prescribing",
                "national_activity",
            )
        ]
        con.close()
        return out

    first, again, other = digest(11, "a"), digest(11, "b"), digest(12, "c")
    assert first == again
    assert first != other
