"""Rate models that drive the synthetic footprint, with the published figures behind them.

Every model has the same shape: a national age(-sex) baseline from a published source,
a deprivation gradient (relative rate between the most and least deprived IMD deciles)
and a person-level multiplier from long-term conditions and a latent health score,
normalised so the population average within each age band equals the baseline. The
national comparators apply the same baselines and gradients to every area's real
population, so the footprint sits among its peers consistently.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

AGE_BAND_STARTS = np.arange(0, 95, 5)
"""Five-year bands 0-4 ... 85-89 and 90+ (ESP2013's 19 bands)."""


def band_of(age: Ints) -> Ints:
    """Index 0..18 of the five-year band of each age."""
    return np.minimum(age // 5, 18)


def deprivation_factor(imd_decile: Ints, ratio: float) -> Floats:
    """Relative rate for IMD deciles, log-linear, 1 at the middle, ``ratio`` between deciles 1 and 10.

    Log-linear gradients across deciles follow how the Marmot Review and the ONS
    *Health state life expectancies by IMD* report the social gradient.
    """
    position = (
        5.5 - imd_decile.astype(np.float64)
    ) / 9.0  # +0.5 most deprived, -0.5 least
    return np.asarray(np.exp(np.log(ratio) * position))


def by_band(values: tuple[float, ...], age: Ints) -> Floats:
    """Look up a 19-band table for each age."""
    return np.asarray(np.asarray(values, dtype=np.float64)[band_of(age)])


# --- Inpatient admissions (per person-year) -------------------------------------------
# Emergency admissions per 1,000 by five-year band: shape of HES APC 2019-20 emergency
# admissions by age (NHS Digital, Hospital Admitted Patient Care Activity 2019-20, table
# "Admissions by age"), levelled so the footprint total is ~100 per 1,000 a year, the
# level in NHS England's A&E Attendances and Emergency Admissions for QGH (6,597 a month
# for about 790,000 people; ../shared/data/uec_activity).
EMERGENCY_PER_1000 = (
    150,
    45,
    40,
    60,
    60,
    55,
    55,
    58,
    62,
    68,
    78,
    90,
    108,
    130,
    165,
    220,
    300,
    400,
    520,
)
# Elective admissions (ordinary and day case) per 1,000: HES FAEs per 1,000 2015-16 by band
# (../shared/data/hospital_activity) minus the emergency and maternity rates above, with
# the 0-4 band net of birth episodes (about 190 per 1,000 of the 0-4 FAEs are births).
EMERGENCY_DEPRIVATION_RATIO = 1.9
"""Emergency admissions, most vs least deprived decile (QualityWatch, Nuffield Trust/Health
Foundation, *Focus on: socioeconomic variation in the use of health services*, 2014)."""
ELECTIVE_DEPRIVATION_RATIO = 1.15
"""Elective admissions vary little with deprivation (same source)."""

# --- A&E attendances per 1,000 a year (HES A&E 2019-20 by age, levelled to QGH's ~375/1,000)
AE_PER_1000 = (
    540,
    300,
    280,
    420,
    430,
    380,
    350,
    320,
    300,
    290,
    280,
    280,
    290,
    300,
    330,
    400,
    500,
    650,
    850,
)
AE_DEPRIVATION_RATIO = 2.0
"""A&E attendances, most vs least deprived decile (HES A&E 2019-20 by IMD decile)."""

# --- Outpatient first appointments per 1,000 a year (HES OP 2019-20 by age) ------------
OUTPATIENT_FIRST_PER_1000 = (
    330,
    240,
    220,
    230,
    280,
    330,
    350,
    340,
    330,
    340,
    370,
    420,
    480,
    560,
    640,
    720,
    760,
    700,
    600,
)
FOLLOW_UP_RATIO = 1.9
"""Follow-ups per first appointment (HES OP 2019-20: about 2 follow-ups per first)."""
DNA_RATE = 0.075
"""Outpatient did-not-attend rate: DNAs as a share of attended and not-attended appointments
(England HES OP 2019-20, about 7.5%) at ages 0-14 and 35-64 in a middle-deprivation area;
applied to England's age and deprivation mix it gives about 7.6%."""
DNA_DEPRIVATION_RATIO = 2.0
DNA_AGE_FACTOR = (1.0,) * 3 + (1.6,) * 4 + (1.0,) * 6 + (0.6,) * 6
"""DNA relative rate by five-year band: higher at 15-34, lower from 65 (Ellis et al., BMC
Medicine 2017, doi:10.1186/s12916-016-0763-8, also for the deprivation gradient)."""
CANCELLED_BY_PATIENT = 0.04
CANCELLED_BY_PROVIDER = 0.06
"""Shares of booked appointments cancelled by the patient and by the hospital (neither
attended nor missed)."""

# --- Births: age-specific fertility per 1,000 women (ONS Births in England and Wales 2021)
FERTILITY_PER_1000 = {15: 10.4, 20: 45.9, 25: 88.4, 30: 104.9, 35: 61.3, 40: 15.3}
STILLBIRTH_RATE = 0.0039
"""Stillbirths per birth, England 2021 (ONS: 3.9 per 1,000 total births)."""
STILLBIRTH_DEPRIVATION_RATIO = 1.8
LOW_BIRTH_WEIGHT_DEPRIVATION_RATIO = 1.8
"""Low birth weight and stillbirth, most vs least deprived (ONS *Birth characteristics*, 2021).
Low birth weight follows from ``vital``'s birth-weight model, tuned to this gradient."""
PRETERM_RATE = 0.075
"""Live births under 37 weeks, England and Wales 2021 (ONS: 7.6%)."""

MORTALITY_DEPRIVATION_RATIO = 2.2
"""Age-standardised mortality, most vs least deprived decile (ONS, *Mortality by
deprivation*, 2021: roughly 2 to 2.5 times)."""

LEAVING_PER_YEAR = 0.04
"""Share of registered patients who leave the footprint each year (moves away)."""

# --- Primary care prescribing: items per person a year by band -------------------------
ITEMS_PER_PERSON_YEAR = (
    *(4, 3, 3, 4, 6, 7, 8, 10, 11, 14),
    *(18, 24, 31, 39, 49, 58, 69, 78, 83),
)
"""Prescription items per person a year by band, at the middle of the deprivation range:
the age shape of NHSBSA ePACT2 items by age, levelled so England's mid-2020 population
gets about 19 items a head a year (NHSBSA *Prescription Cost Analysis, England 2022/23*:
1.18 billion items dispensed in the community)."""
PRESCRIBING_DEPRIVATION_RATIO = 1.3
"""Prescription items per head, most vs least deprived decile (age-standardised)."""


def elective_per_1000(faes_per_1000: Floats) -> Floats:
    """Elective rate by band: all admissions less emergency and maternity, net of births at 0-4."""
    total = faes_per_1000.copy()
    total[0] -= 190.0
    maternity = np.zeros(19)
    maternity[3:9] = (
        20.0,
        75.0,
        130.0,
        140.0,
        85.0,
        25.0,
    )  # deliveries + antenatal, women
    return np.asarray(
        np.maximum(total - np.asarray(EMERGENCY_PER_1000) - maternity / 2, 20.0),
        dtype=np.float64,
    )


def dna_share(band: Ints, imd_decile: Ints) -> Floats:
    """DNAs as a share of attended and not-attended appointments, by band and IMD decile.

    The footprint's appointments (``outpatients``) and the national comparators both
    use it, so the footprint's DNA rate differs from England's only by its mix.
    """
    return np.asarray(
        np.asarray(DNA_AGE_FACTOR)[band]
        * DNA_RATE
        * deprivation_factor(imd_decile, DNA_DEPRIVATION_RATIO)
    )


def fertility(age: Ints) -> Floats:
    """Births per woman-year at each age (15..44)."""
    out = np.zeros(age.shape[0])
    for start, rate in FERTILITY_PER_1000.items():
        out[(age >= start) & (age < start + 5)] = rate / 1000
    return out


def person_multiplier(
    latent: Floats, n_conditions: Ints, weight: float = 1.0
) -> Floats:
    """Person-level activity multiplier: more conditions and worse latent health, more use.

    Gives later risk models real signal: people with multimorbidity use hospitals more
    (Cassell et al., Br J Gen Pract 2018, doi:10.3399/bjgp18X695465).
    """
    return np.asarray(np.exp(weight * (0.35 * latent + 0.28 * n_conditions)))


def items_per_person_year(age: Ints, imd_decile: Ints) -> Floats:
    """Expected prescription items per person-year at each age and IMD decile.

    ``prescribing`` draws the footprint's items to this model and the national
    comparators apply it to every LSOA.
    """
    return np.asarray(
        by_band(ITEMS_PER_PERSON_YEAR, age)
        * deprivation_factor(imd_decile, PRESCRIBING_DEPRIVATION_RATIO)
    )


def normalise_per_exposure(multiplier: Floats, age: Ints, expected: Floats) -> Floats:
    """Scale ``multiplier`` within each five-year band so events stay at the baseline.

    ``expected`` is each person's baseline expected events (rate x deprivation x years
    exposed, zero when not exposed): after scaling, ``sum(expected * multiplier)`` equals
    ``sum(expected)`` in every band, so events per person-year follow the rate model
    however the multiplier is spread over ages, deprivation and exposure.
    """
    band = band_of(age)
    base = np.bincount(band, weights=expected, minlength=19)
    weighted = np.bincount(band, weights=expected * multiplier, minlength=19)
    scale = np.where(weighted > 0, base / np.where(weighted > 0, weighted, 1.0), 1.0)
    return np.asarray(multiplier * scale[band])


def normalise_within_bands(multiplier: Floats, age: Ints) -> Floats:
    """Scale ``multiplier`` so its mean within each five-year band is 1."""
    band = band_of(age)
    sums = np.bincount(band, weights=multiplier, minlength=19)
    counts = np.bincount(band, minlength=19)
    means = np.where(counts > 0, sums / np.maximum(counts, 1), 1.0)
    return np.asarray(multiplier / means[band])
