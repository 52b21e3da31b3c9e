"""Generated activity has the gradients, seasonality and signal it was given."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.integration.conftest import SHARED

BAND = """least((date_diff('year', p.date_of_birth, DATE '2021-04-01')
    - (strftime(p.date_of_birth, '%m%d') > '0401')::int) // 5, 18)::int"""


def _standardised_ratio_by_decile(
    con: duckdb.DuckDBPyConnection, events_sql: str
) -> pd.Series:
    """Indirectly age-standardised ratio (observed / expected) of events per IMD decile."""
    frame = con.sql(
        f"""
        WITH people AS (
            SELECT p.person_id, l.imd_decile, {BAND} AS band FROM persons p JOIN lsoas l USING (lsoa_code)
            WHERE p.registration_start <= DATE '2021-04-01'),
        events AS ({events_sql})
        SELECT imd_decile, band, count(DISTINCT people.person_id) AS persons, coalesce(sum(e.n), 0) AS events
        FROM people LEFT JOIN (SELECT person_id, count(*) AS n FROM events GROUP BY 1) e USING (person_id)
        GROUP BY ALL"""
    ).df()
    band_rate = (
        frame.groupby("band")["events"].sum() / frame.groupby("band")["persons"].sum()
    )
    frame["expected"] = frame["persons"] * frame["band"].map(band_rate)
    by_decile = frame.groupby("imd_decile")[["events", "expected"]].sum()
    return by_decile["events"] / by_decile["expected"]


@pytest.mark.parametrize(
    ("events_sql", "given_ratio"),
    [
        (
            "SELECT person_id FROM inpatient_spells WHERE admission_method = 'emergency'",
            1.9,
        ),
        ("SELECT person_id FROM ae_attendances", 2.0),
        ("SELECT person_id FROM deaths", 2.2),
    ],
    ids=["emergency_admissions", "ae_attendances", "deaths"],
)
def test_rates_rise_with_deprivation_as_given(
    full_db: duckdb.DuckDBPyConnection, events_sql: str, given_ratio: float
) -> None:
    """The age-standardised ratio falls from decile 1 (most deprived) to 10, and the ratio
    between the ends is within 35% of the gradient the rate model was given (conditions,
    which are themselves graded by deprivation, steepen it a little)."""
    ratio = _standardised_ratio_by_decile(full_db, events_sql)
    spearman = pd.Series(ratio.index).corr(
        pd.Series(ratio.to_numpy()), method="spearman"
    )
    assert spearman < -0.85
    observed = ratio.loc[1] / ratio.loc[10]
    assert given_ratio / 1.35 < observed < given_ratio * 1.35


def test_people_with_more_conditions_are_admitted_more_often(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    """Within each age band, emergency admissions rise with the number of long-term conditions."""
    frame = full_db.sql(
        f"""
        SELECT {BAND} AS band, least(coalesce(c.n, 0), 3) AS conditions,
               count(*) AS persons, sum(coalesce(e.n, 0)) AS admissions
        FROM persons p
        LEFT JOIN (SELECT person_id, count(*) AS n FROM conditions GROUP BY 1) c USING (person_id)
        LEFT JOIN (SELECT person_id, count(*) AS n FROM inpatient_spells WHERE admission_method = 'emergency' GROUP BY 1) e USING (person_id)
        WHERE p.registration_start <= DATE '2021-04-01' GROUP BY ALL"""
    ).df()
    older = (
        frame[frame["band"].between(12, 16)]
        .groupby("conditions")[["persons", "admissions"]]
        .sum()
    )
    rate = older["admissions"] / older["persons"]
    assert rate.is_monotonic_increasing
    assert rate.loc[3] > 2 * rate.loc[0]


def test_emergency_admissions_peak_in_winter(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    by_month = (
        full_db.sql(
            "SELECT month(admission_date) AS m, count(*) AS n FROM inpatient_spells "
            "WHERE admission_method = 'emergency' GROUP BY 1"
        )
        .df()
        .set_index("m")["n"]
    )
    winter = by_month.loc[[12, 1, 2]].sum()
    summer = by_month.loc[[6, 7, 8]].sum()
    assert winter > 1.1 * summer


def test_three_full_financial_years_of_activity(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    for table, column in (
        ("inpatient_spells", "admission_date"),
        ("ae_attendances", "arrival_time"),
        ("outpatient_appointments", "appointment_date"),
        ("prescribing", "period_start"),
    ):
        first, last, months = full_db.execute(
            f"SELECT min({column})::date, max({column})::date, count(DISTINCT date_trunc('month', {column})) FROM {table}"
        ).fetchall()[0]
        assert str(first) == "2021-04-01"
        assert str(last) >= "2024-03-01"
        assert months == 36


def test_footprint_volumes_are_close_to_the_real_icb(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    """NHS England reports about 6,600 emergency admissions and 24,700 A&E attendances a month
    for QGH (2022-25); the synthetic footprint is within 25% of both."""
    real = pd.read_csv(
        SHARED
        / "data/uec_activity/ae_attendances_emergency_admissions_monthly_by_icb_2022-04_2025-07.csv"
    )
    real = real[real["icb_cdh"] == "QGH"]
    emergency = full_db.execute(
        "SELECT count(*) / 36 FROM inpatient_spells WHERE admission_method = 'emergency'"
    ).fetchall()[0][0]
    attendances = full_db.execute(
        "SELECT count(*) / 36 FROM ae_attendances"
    ).fetchall()[0][0]
    assert abs(emergency / real["total_emergency_admissions"].mean() - 1) < 0.25
    assert abs(attendances / real["total_attendances"].mean() - 1) < 0.25


def test_monthly_four_hour_performance_follows_the_real_icb(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    real = pd.read_csv(
        SHARED
        / "data/uec_activity/ae_attendances_emergency_admissions_monthly_by_icb_2022-04_2025-07.csv"
    )
    real = real[real["icb_cdh"] == "QGH"].set_index("month")
    real_share = real["attendances_over_4hours"] / real["total_attendances"]
    gen = (
        full_db.sql(
            "SELECT strftime(arrival_time, '%Y-%m') AS month, avg(breach_4h::int) AS share FROM ae_attendances GROUP BY 1"
        )
        .df()
        .set_index("month")["share"]
    )
    months = gen.index.intersection(real_share.index)
    assert len(months) == 24
    assert np.abs(gen[months] - real_share[months]).max() < 0.04


def test_practice_diabetes_prevalence_tracks_qof(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    qof = pd.read_csv(
        SHARED
        / "data/gp_practices/qof_2021-22_crude_prevalence_by_practice_england.csv"
    ).set_index("practice_code")["dm_prevalence"]
    gen = (
        full_db.sql(
            "SELECT p.practice_code, avg((c.person_id IS NOT NULL)::int) AS prevalence FROM persons p "
            "LEFT JOIN conditions c ON c.person_id = p.person_id AND c.condition = 'diabetes' "
            "WHERE p.registration_start <= DATE '2021-04-01' GROUP BY 1"
        )
        .df()
        .set_index("practice_code")["prevalence"]
    )
    both = pd.concat([gen, qof], axis=1, join="inner")
    assert both.corr().iloc[0, 1] > 0.8
    assert abs(both.iloc[:, 0].mean() / both.iloc[:, 1].mean() - 1) < 0.1


def test_low_birth_weight_and_stillbirth_are_plausible(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    births, still, lbw = full_db.execute(
        "SELECT count(*), avg((outcome = 'still')::int), avg((birth_weight_g < 2500 AND outcome = 'live')::int) FROM births"
    ).fetchall()[0]
    assert births > 15_000
    assert 0.002 < still < 0.008
    assert 0.04 < lbw < 0.10
