"""Case mix: the diagnoses, procedures and specialties hospital activity is drawn from.

Codes are real ICD-10 (WHO, no dot, as in HES) and OPCS-4.9 codes chosen as
representative of common emergency presentations and elective procedures in HES APC
(NHS Digital, *Hospital Admitted Patient Care Activity 2019-20*, primary diagnosis and
procedure summaries). Costs are rounded averages of the 2022/23 National Tariff
(NHS England, *2022/23 National Tariff Payment System*, annex A) for the matching HRGs.
"""

from __future__ import annotations

from dataclasses import dataclass

# Emergency presentations by age group: (icd10, treatment function, weight, secondary code)
EMERGENCY_CHILD = (
    ("J069", "420", 18, ""),
    ("J219", "420", 10, ""),
    ("R509", "420", 10, ""),
    ("A099", "420", 10, ""),
    ("S060", "420", 6, "W19"),
    ("J459", "420", 6, ""),
    ("K359", "100", 4, ""),
    ("B349", "420", 14, ""),
    ("F100", "420", 1, ""),
    ("S525", "110", 4, "W19"),
)
EMERGENCY_ADULT = (
    ("R074", "300", 12, ""),
    ("R104", "100", 12, ""),
    ("N390", "300", 6, ""),
    ("J189", "300", 7, ""),
    ("K359", "100", 4, ""),
    ("L031", "300", 5, ""),
    ("T391", "300", 4, "X60"),
    ("F100", "300", 3, ""),
    ("S525", "110", 3, "W19"),
    ("O209", "502", 5, ""),
    ("K529", "301", 4, ""),
    ("R55", "300", 4, ""),
    ("G439", "300", 3, ""),
    ("K800", "100", 3, ""),
)
EMERGENCY_OLDER = (
    ("J189", "300", 14, ""),
    ("N390", "300", 9, ""),
    ("R55", "300", 6, ""),
    ("R296", "430", 5, "W19"),
    ("S720", "110", 4, "W19"),
    ("S525", "110", 2, "W19"),
    ("S422", "110", 2, "W19"),
    ("I489", "320", 4, ""),
    ("L031", "300", 5, ""),
    ("A419", "300", 4, ""),
    ("E86", "300", 3, ""),
    ("R410", "430", 3, ""),
    ("R074", "300", 6, ""),
    ("R104", "100", 5, ""),
    ("K566", "100", 2, ""),
)

# Condition-driven emergency admissions: condition -> (icd10, treatment function, secondary)
CONDITION_EMERGENCY = {
    "diabetes": ("E116", "307", ""),
    "coronary_heart_disease": ("I214", "320", ""),
    "heart_failure": ("I500", "320", ""),
    "atrial_fibrillation": ("I489", "320", ""),
    "stroke_tia": ("I639", "300", ""),
    "peripheral_arterial_disease": ("I702", "100", ""),
    "copd": ("J441", "340", ""),
    "asthma": ("J459", "340", ""),
    "chronic_kidney_disease": ("N179", "300", ""),
    "cancer": ("C809", "370", ""),
    "dementia": ("F051", "430", ""),
    "depression": ("T391", "300", "X60"),
    "epilepsy": ("R568", "300", ""),
    "learning_disability": ("J690", "300", ""),
    "serious_mental_illness": ("F209", "300", ""),
    "osteoporosis": ("S720", "110", "W19"),
    "rheumatoid_arthritis": ("M069", "410", ""),
    "parkinsons_disease": ("G20", "430", ""),
}


@dataclass(frozen=True)
class Procedure:
    """An elective procedure: where, what, how often, how long, how much."""

    tf: str
    diagnosis: str
    opcs: str
    day_case: float
    los_mean: float
    cost_day_case: float
    cost_ordinary: float
    weights: tuple[float, float, float]  # child, adult, older
    sex: int | None = None  # 0 female only, 1 male only
    boost: tuple[tuple[str, float], ...] = ()


PROCEDURES = {
    "cataract": Procedure(
        "130",
        "H269",
        "C712",
        0.98,
        1,
        950,
        1800,
        (0, 0.3, 3.0),
        boost=(("diabetes", 1.5),),
    ),
    "hip_replacement_cemented": Procedure(
        "110",
        "M161",
        "W371",
        0.01,
        4,
        6500,
        6500,
        (0, 0.06, 0.25),
        boost=(("obesity", 1.5),),
    ),
    "hip_replacement_uncemented": Procedure(
        "110",
        "M161",
        "W381",
        0.01,
        4,
        6800,
        6800,
        (0, 0.09, 0.2),
        boost=(("obesity", 1.5),),
    ),
    "knee_replacement": Procedure(
        "110",
        "M171",
        "W401",
        0.02,
        4,
        6200,
        6200,
        (0, 0.12, 0.33),
        boost=(("obesity", 1.7),),
    ),
    "knee_arthroscopy": Procedure(
        "110", "M232", "W852", 0.9, 1, 1300, 2500, (0.05, 1.0, 0.4)
    ),
    "subacromial_decompression": Procedure(
        "110", "M754", "O291", 0.8, 1, 2200, 3300, (0, 0.4, 0.3)
    ),
    "carpal_tunnel_release": Procedure(
        "110",
        "G560",
        "A651",
        0.95,
        1,
        900,
        1800,
        (0, 0.8, 0.6),
        boost=(("diabetes", 1.5),),
    ),
    "inguinal_hernia_repair": Procedure(
        "100", "K409", "T201", 0.75, 1.5, 1700, 2800, (0.14, 0.7, 0.56)
    ),
    "laparoscopic_cholecystectomy": Procedure(
        "100",
        "K802",
        "J183",
        0.6,
        2,
        2200,
        3600,
        (0, 0.5, 0.25),
        boost=(("obesity", 2.0),),
    ),
    "skin_abscess_drainage": Procedure(
        "100", "L029", "S471", 0.7, 1, 800, 1700, (0.2, 0.7, 0.3)
    ),
    "perianal_abscess_drainage": Procedure(
        "100", "K610", "H581", 0.6, 1.5, 900, 1900, (0.02, 0.4, 0.12)
    ),
    "colonoscopy": Procedure("301", "K573", "H229", 0.97, 1, 550, 1400, (0, 0.8, 1.0)),
    "upper_gi_endoscopy": Procedure(
        "301", "K297", "G451", 0.97, 1, 450, 1200, (0.02, 0.8, 0.8)
    ),
    "cystoscopy": Procedure("101", "R319", "M459", 0.95, 1, 500, 1300, (0, 0.5, 1.0)),
    "turp": Procedure(
        "101", "N40", "M651", 0.05, 2.5, 3300, 3300, (0, 0.08, 0.4), sex=1
    ),
    "hysterectomy": Procedure(
        "502", "N920", "Q074", 0.05, 2.5, 4200, 4200, (0, 0.3, 0.1), sex=0
    ),
    "hysteroscopy": Procedure(
        "502", "N840", "Q181", 0.9, 1, 800, 1600, (0, 1.0, 0.3), sex=0
    ),
    "breast_excision": Procedure(
        "103",
        "C509",
        "B281",
        0.5,
        1.5,
        2300,
        3700,
        (0, 0.4, 0.5),
        sex=0,
        boost=(("cancer", 6.0),),
    ),
    "coronary_angiography": Procedure(
        "320",
        "I251",
        "K634",
        0.85,
        1,
        1100,
        2400,
        (0, 0.5, 1.0),
        boost=(("coronary_heart_disease", 8.0),),
    ),
    "pci": Procedure(
        "320",
        "I251",
        "K751",
        0.3,
        2,
        2900,
        4500,
        (0, 0.15, 0.3),
        boost=(("coronary_heart_disease", 8.0),),
    ),
    "chemotherapy": Procedure(
        "370",
        "C509",
        "X352",
        0.98,
        1,
        600,
        1500,
        (0.02, 0.1, 0.1),
        boost=(("cancer", 60.0),),
    ),
    "tonsillectomy": Procedure(
        "120", "J350", "F341", 0.4, 1, 1200, 2000, (1.2, 0.2, 0)
    ),
    "grommets": Procedure("120", "H652", "D151", 0.95, 1, 900, 1500, (1.0, 0, 0)),
    "lumbar_spine_surgery": Procedure(
        "108", "M511", "V254", 0.1, 3, 7000, 7000, (0, 0.15, 0.1)
    ),
    "dental_extraction": Procedure(
        "144", "K021", "F091", 0.95, 1, 700, 1300, (1.5, 0.3, 0.1)
    ),
}

MATERNITY_CODES = {
    "normal": ("O800", "R249", 2800.0, 1.2),
    "caesarean": ("O820", "R189", 4500.0, 3.0),
}


def day_case_share() -> tuple[float, float, float]:
    """Expected day-case share of elective admissions of children, adults and older people.

    The procedures' day-case rates weighted by their age-group weights (a single-sex
    procedure counts half, as it is open to half the group), before condition boosts.
    With the weights above the footprint's share is about 0.79, as in HES APC (about 4
    elective admissions in 5 are day cases); the national comparators use these
    shares by age so both sides apply one model.
    """
    shares = []
    for group in range(3):
        weight = [
            p.weights[group] * (0.5 if p.sex is not None else 1.0)
            for p in PROCEDURES.values()
        ]
        cases = sum(
            w * p.day_case for w, p in zip(weight, PROCEDURES.values(), strict=True)
        )
        shares.append(cases / sum(weight))
    return shares[0], shares[1], shares[2]
