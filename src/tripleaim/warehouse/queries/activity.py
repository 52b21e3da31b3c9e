"""Hospital activity, deaths and births counted by area and reporting period.

Each event is counted in the areas of its person (``persons`` gives the practice and
LSOA; ``person_areas`` adds PCN, place, ICB, district and deprivation decile) and in
the financial year or month of its date. Events whose person is unknown are kept
with a null area, so totals over areas add up to all events.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis.expr.types as ir
from ibis import _

from tripleaim.warehouse.queries.aggregates import count_if
from tripleaim.warehouse.queries.areas import AreaLevel, activity_by_area
from tripleaim.warehouse.queries.dates import Period

LOW_BIRTH_WEIGHT_GRAMS = 2500
"""Low birth weight is a weight at birth under 2,500 g (WHO, ICD-10 P07)."""


def inpatient_activity(
    spells: ir.Table,
    areas: ir.Table,
    level: AreaLevel = "practice",
    period: Period = "financial_year",
    by: Sequence[str] = ("admission_method", "day_case"),
) -> ir.Table:
    """Spells, bed days, mean length of stay and cost by area and period of admission.

    Bed days are the sum of ``length_of_stay`` (discharge minus admission date, so a
    day case adds none), as HES *Hospital Admitted Patient Care Activity* counts
    them.

    Returns:
        Area, period, ``by`` columns, ``spells``, ``bed_days``,
        ``mean_length_of_stay`` and ``cost_gbp``.
    """
    return activity_by_area(
        spells,
        areas,
        when="admission_date",
        level=level,
        period=period,
        by=by,
        spells=_.count(),
        bed_days=_.length_of_stay.sum(),
        mean_length_of_stay=_.length_of_stay.mean(),
        cost_gbp=_.cost_gbp.sum(),
    )


def emergency_admissions(
    spells: ir.Table,
    areas: ir.Table,
    level: AreaLevel = "practice",
    period: Period = "financial_year",
) -> ir.Table:
    """Emergency admissions (ADMISSION METHOD 21-2B) by area and period of admission."""
    emergency = spells.filter(spells.admission_method == "emergency")
    return activity_by_area(
        emergency,
        areas,
        when="admission_date",
        level=level,
        period=period,
        emergency_admissions=_.count(),
    )


def ae_activity(
    attendances: ir.Table,
    areas: ir.Table,
    level: AreaLevel = "practice",
    period: Period = "financial_year",
    by: Sequence[str] = (),
) -> ir.Table:
    """A&E attendances, 4-hour breaches and performance by area and period of arrival.

    Performance is the share of attendances that ended within four hours,
    ``1 - breaches / attendances``, over every department type, as NHS England's
    *A&E Attendances and Emergency Admissions* statistics report it.

    Returns:
        Area, period, ``by`` columns, ``attendances``, ``breaches_4h`` and
        ``performance_4h`` (a proportion, 0 to 1).
    """
    counted = activity_by_area(
        attendances,
        areas,
        when="arrival_time",
        level=level,
        period=period,
        by=by,
        attendances=_.count(),
        breaches_4h=count_if(_.breach_4h),
    )
    share = counted.breaches_4h.cast("float64") / counted.attendances.nullif(0)
    return counted.mutate(performance_4h=1 - share)


def outpatient_activity(
    appointments: ir.Table,
    areas: ir.Table,
    level: AreaLevel = "practice",
    period: Period = "financial_year",
    by: Sequence[str] = (),
) -> ir.Table:
    """First and follow-up attendances, DNAs and DNA rate by area and appointment period.

    The DNA rate is did-not-attends over attended and did-not-attend appointments;
    cancelled appointments count in neither, as in NHS Digital's *Hospital
    Outpatient Activity* ("DNA rate").

    Returns:
        Area, period, ``by`` columns, ``appointments``, ``first_attendances``,
        ``follow_up_attendances``, ``dna``, ``dna_rate`` (null when nothing was
        attended or missed) and ``cost_gbp``.
    """
    attended = _.attendance_status == "attended"
    counted = activity_by_area(
        appointments,
        areas,
        when="appointment_date",
        level=level,
        period=period,
        by=by,
        appointments=_.count(),
        first_attendances=count_if(attended & _.first_attendance),
        follow_up_attendances=count_if(attended & ~_.first_attendance),
        dna=count_if(_.attendance_status == "did_not_attend"),
        cost_gbp=_.cost_gbp.sum(),
    )
    seen_or_missed = (
        counted.first_attendances + counted.follow_up_attendances + counted.dna
    )
    return counted.mutate(
        dna_rate=counted.dna.cast("float64") / seen_or_missed.nullif(0)
    )


def death_counts(
    deaths: ir.Table,
    areas: ir.Table,
    level: AreaLevel = "practice",
    period: Period = "financial_year",
    by: Sequence[str] = (),
) -> ir.Table:
    """Registered deaths by area and period of death."""
    return activity_by_area(
        deaths,
        areas,
        when="date_of_death",
        level=level,
        period=period,
        by=by,
        deaths=_.count(),
    )


def birth_counts(
    births: ir.Table,
    areas: ir.Table,
    level: AreaLevel = "practice",
    period: Period = "financial_year",
    by: Sequence[str] = (),
) -> ir.Table:
    """Live births, stillbirths and low birth weight live births by the mother's area.

    Returns:
        Area, period, ``by`` columns, ``live_births``, ``stillbirths`` and
        ``low_birth_weight_births`` (live births under 2,500 g).
    """
    live = _.outcome == "live"
    return activity_by_area(
        births,
        areas,
        when="birth_date",
        level=level,
        period=period,
        by=by,
        person_key="mother_person_id",
        live_births=count_if(live),
        stillbirths=count_if(_.outcome == "still"),
        low_birth_weight_births=count_if(
            live & (_.birth_weight_g < LOW_BIRTH_WEIGHT_GRAMS)
        ),
    )
