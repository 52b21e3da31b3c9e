"""Generated activity has the gradients, seasonality and signal it was given."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.integration.conftest import SHARED
from tripleaim.warehouse.schema.comparators import AGE_BANDS
from tripleaim.warehouse.synthetic import rates
from tripleaim.warehouse.synthetic.vital import low_birth_weight_share

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
    """ONS 2021: 6.9% of live births under 2,500 g (2.8% of term births), 7.6% preterm,
    3.9 stillbirths per 1,000 births."""
    births, still, lbw, term_lbw, preterm = full_db.execute(
        "SELECT count(*), avg((outcome = 'still')::int), "
        "avg((birth_weight_g < 2500)::int) FILTER (outcome = 'live'), "
        "avg((birth_weight_g < 2500)::int) FILTER (outcome = 'live' AND gestation_weeks >= 37), "
        "avg((gestation_weeks < 37)::int) FILTER (outcome = 'live') FROM births"
    ).fetchall()[0]
    assert births > 15_000
    assert 0.002 < still < 0.008
    assert 0.06 < lbw < 0.08
    assert 0.02 < term_lbw < 0.035
    assert 0.065 < preterm < 0.085


def test_low_birth_weight_model_has_the_given_deprivation_gradient() -> None:
    """The birth-weight model the footprint draws from, integrated (as the national
    comparators use it), is about 7% overall and rises from the least to the most
    deprived decile by the published ratio."""
    share = low_birth_weight_share(np.arange(1, 11))
    assert np.all(np.diff(share) < 0)
    assert 0.065 < share.mean() < 0.075
    ratio = share[0] / share[-1]
    assert abs(ratio / rates.LOW_BIRTH_WEIGHT_DEPRIVATION_RATIO - 1) < 0.1


def _footprint_model(
    con: duckdb.DuckDBPyConnection, numerator: list[str], denominator: list[str]
) -> float:
    """A ratio of the national comparator model's counts for the footprint's own areas."""
    x, n = con.execute(
        """SELECT sum(value) FILTER (list_contains(?, measure)),
                  sum(value) FILTER (list_contains(?, measure))
           FROM national_activity JOIN national_areas USING (area_code)
           WHERE area_type = 'sub_icb' AND in_footprint""",
        [numerator, denominator],
    ).fetchall()[0]
    return float(x / n)


def test_day_case_share_is_as_in_hes_and_the_comparators(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    """About 4 elective admissions in 5 are day cases (HES APC), in the footprint and in
    the comparator model applied to the footprint's population."""
    share = full_db.execute(
        "SELECT avg(day_case::int) FROM inpatient_spells WHERE admission_method = 'elective'"
    ).fetchall()[0][0]
    model = _footprint_model(
        full_db, ["day_cases"], ["day_cases", "elective_admissions"]
    )
    assert 0.74 < share < 0.82
    assert abs(share - model) < 0.01


def test_outpatient_dna_rate_matches_the_comparator_model(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    """DNAs as a share of attended and missed appointments: the footprint is within 0.3
    points of the national model applied to its own population."""
    dna = full_db.execute(
        "SELECT avg((attendance_status = 'did_not_attend')::int) FROM outpatient_appointments "
        "WHERE attendance_status IN ('attended', 'did_not_attend')"
    ).fetchall()[0][0]
    model = _footprint_model(
        full_db,
        ["outpatient_dna"],
        ["outpatient_first", "outpatient_follow_up", "outpatient_dna"],
    )
    assert 0.05 < dna < 0.10
    assert abs(dna - model) < 0.003


def test_follow_up_ratio_is_steady_from_the_first_year(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    """Attended follow-ups per attended first appointment are the national ratio in every
    financial year, the first included (its follow-ups come from earlier firsts)."""
    ratios = (
        full_db.sql(
            "SELECT year(appointment_date - INTERVAL 3 MONTH) AS fy, "
            "count(*) FILTER (NOT first_attendance) / count(*) FILTER (first_attendance) AS ratio "
            "FROM outpatient_appointments WHERE attendance_status = 'attended' GROUP BY 1"
        )
        .df()
        .set_index("fy")["ratio"]
    )
    assert len(ratios) == 3
    assert np.all(np.abs(ratios / rates.FOLLOW_UP_RATIO - 1) < 0.02)


def test_fertility_follows_the_rates_by_age_at_birth(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    """Live births per 1,000 women aged 15-44 in 2022/23 are within 5% of the national
    model applied to the footprint's population, and births to mothers under 18 are
    not lost to ageing through the period."""
    gfr, teen = full_db.execute(
        """WITH women AS (
            SELECT date_diff('year', date_of_birth, DATE '2022-09-30')
                   - (strftime(date_of_birth, '%m%d') > '0930')::int AS age
            FROM persons WHERE sex = 'F' AND registration_start <= DATE '2022-09-30'
              AND (registration_end IS NULL OR registration_end > DATE '2022-09-30')),
        births_in_year AS (
            SELECT date_diff('year', p.date_of_birth, b.birth_date)
                   - (strftime(p.date_of_birth, '%m%d') > strftime(b.birth_date, '%m%d'))::int AS age
            FROM births b JOIN persons p ON p.person_id = b.mother_person_id
            WHERE b.outcome = 'live' AND b.birth_date BETWEEN DATE '2022-04-01' AND DATE '2023-03-31')
        SELECT (SELECT count(*) FROM births_in_year) / (SELECT count(*) FROM women WHERE age BETWEEN 15 AND 44),
               (SELECT count(*) FROM births_in_year WHERE age < 18) / (SELECT count(*) FROM women WHERE age BETWEEN 15 AND 17)"""
    ).fetchall()[0]
    births, women = full_db.execute(
        """SELECT (SELECT sum(value) FROM national_activity JOIN national_areas USING (area_code)
                   WHERE area_type = 'sub_icb' AND in_footprint AND measure = 'live_births'
                     AND financial_year = '2022/23'),
                  (SELECT sum(population) FROM national_population JOIN national_areas USING (area_code)
                   WHERE area_type = 'sub_icb' AND in_footprint AND sex = 'F'
                     AND age_band IN ('15-19', '20-24', '25-29', '30-34', '35-39', '40-44')
                     AND financial_year = '2022/23')"""
    ).fetchall()[0]
    assert abs(gfr / (births / women) - 1) < 0.05
    assert 0.007 < teen < 0.014  # ONS 15-19 rate 10.4 per 1,000


ESP2013 = np.array(
    [
        *(5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000),
        *(7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000),
    ],
    dtype=np.float64,
)
"""2013 European Standard Population in the 19 five-year bands (0-4 ... 90+)."""


def _age_at(dob: str, on: str) -> str:
    return (
        f"(date_diff('year', {dob}, {on}) - "
        f"(strftime({dob}, '%m%d') > strftime({on}, '%m%d'))::int)"
    )


def _footprint_by_band(
    con: duckdb.DuckDBPyConnection, events_sql: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events (rows of ``person_id``, ``day``, ``n`` from ``events_sql``) by financial year
    and band at the event, and the registered population at 30 September by band."""
    events = (
        con.sql(
            f"""WITH e AS ({events_sql})
            SELECT year(e.day - INTERVAL 3 MONTH) AS year,
                   least({_age_at("p.date_of_birth", "e.day")} // 5, 18) AS band,
                   sum(e.n) AS n
            FROM e JOIN persons p USING (person_id)
            WHERE e.day BETWEEN DATE '2021-04-01' AND DATE '2024-03-31' GROUP BY ALL"""
        )
        .df()
        .pivot(index="band", columns="year", values="n")
        .reindex(range(19))
        .fillna(0.0)
    )
    population = {}
    for year in (2021, 2022, 2023):
        mid = f"DATE '{year}-09-30'"
        population[year] = (
            con.sql(
                f"""SELECT least({_age_at("date_of_birth", mid)} // 5, 18) AS band, count(*) AS n
                FROM persons WHERE date_of_birth <= {mid} AND registration_start <= {mid}
                  AND (registration_end IS NULL OR registration_end > {mid}) GROUP BY 1"""
            )
            .df()
            .set_index("band")["n"]
        )
    return events, pd.DataFrame(population).reindex(range(19)).fillna(0.0)


def _model_by_band(
    con: duckdb.DuckDBPyConnection, measure: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The national comparator model's counts and population for the footprint's areas."""

    def by_band(sql: str, params: list[str]) -> pd.DataFrame:
        frame = con.execute(sql, params).df()
        frame["band"] = frame["age_band"].map(
            {label: i for i, label in enumerate(AGE_BANDS)}
        )
        frame["year"] = frame["financial_year"].str[:4].astype(int)
        return frame.pivot_table(
            index="band", columns="year", values="n", aggfunc="sum"
        ).reindex(range(19))

    where = "area_type = 'sub_icb' AND in_footprint"
    events = by_band(
        f"""SELECT financial_year, age_band, sum(value) AS n FROM national_activity
        JOIN national_areas USING (area_code) WHERE {where} AND measure = ? GROUP BY ALL""",
        [measure],
    )
    population = by_band(
        f"""SELECT financial_year, age_band, sum(population) AS n FROM national_population
        JOIN national_areas USING (area_code) WHERE {where} GROUP BY ALL""",
        [],
    )
    return events, population


def _standardised(
    events: pd.DataFrame, population: pd.DataFrame, first_band: int = 0
) -> pd.Series:
    """Directly standardised rate per 100,000 (ESP2013) in each year, from ``first_band``."""
    weights = ESP2013[first_band:]
    rate = (events / population).iloc[first_band:]
    return rate.mul(weights, axis=0).sum() / weights.sum() * 100_000


DEATHS_SQL = "SELECT person_id, date_of_death AS day, 1 AS n FROM deaths"
EMERGENCY_SQL = (
    "SELECT person_id, admission_date AS day, 1 AS n FROM inpatient_spells "
    "WHERE admission_method = 'emergency'"
)
ITEMS_SQL = "SELECT person_id, period_start AS day, items AS n FROM prescribing"


@pytest.mark.parametrize(
    ("events_sql", "measure", "first_band"),
    [
        (DEATHS_SQL, "deaths", 0),
        (EMERGENCY_SQL, "emergency_admissions", 0),
        (EMERGENCY_SQL, "emergency_admissions", 13),
        (
            "SELECT person_id, admission_date AS day, 1 AS n FROM inpatient_spells "
            "WHERE admission_method = 'elective'",
            "elective_admissions_and_day_cases",
            0,
        ),
    ],
    ids=["mortality", "emergency_admissions", "emergency_65_plus", "elective"],
)
def test_standardised_rates_match_the_comparator_model(
    full_db: duckdb.DuckDBPyConnection, events_sql: str, measure: str, first_band: int
) -> None:
    """Age-standardised (ESP2013) rates of the footprint are within 5% of the national
    comparator model applied to the footprint's own population over the period, within
    7% in every year, and do not drift: the change from the first to the last year is
    within 5 points of the model's (which has none beyond noise)."""
    fp = _standardised(*_footprint_by_band(full_db, events_sql), first_band)
    if measure == "elective_admissions_and_day_cases":
        elective, population = _model_by_band(full_db, "elective_admissions")
        day_cases, _ = _model_by_band(full_db, "day_cases")
        model = _standardised(elective + day_cases, population, first_band)
    else:
        model = _standardised(*_model_by_band(full_db, measure), first_band)
    assert abs(fp.mean() / model.mean() - 1) < 0.05
    assert np.all(np.abs(fp / model - 1) < 0.07)
    assert abs(fp[2023] / fp[2021] - model[2023] / model[2021]) < 0.05


def test_prescribing_items_per_head_match_the_comparator_model(
    full_db: duckdb.DuckDBPyConnection,
) -> None:
    """Items per registered person are within 10% of the model applied to the footprint's
    population (England about 19 a head a year, NHSBSA PCA 2022/23) in every year, and
    items per person-year at each age do not drift (age-standardised, within 3%)."""
    events, population = _footprint_by_band(full_db, ITEMS_SQL)
    model_events, model_population = _model_by_band(full_db, "prescribing_items")
    per_head = events.sum() / population.sum()
    model_per_head = model_events.sum() / model_population.sum()
    assert np.all(np.abs(per_head / model_per_head - 1) < 0.10)
    standardised = _standardised(events, population)
    model_standardised = _standardised(model_events, model_population)
    assert np.all(np.abs(standardised / model_standardised - 1) < 0.05)
    assert abs(standardised[2023] / standardised[2021] - 1) < 0.03
    england = full_db.execute(
        """SELECT sum(value) FILTER (measure = 'prescribing_items') / (SELECT sum(population)
               FROM national_population WHERE area_code = 'E92000001')
           FROM national_activity WHERE area_code = 'E92000001'"""
    ).fetchall()[0][0]
    assert 17 < england < 21
