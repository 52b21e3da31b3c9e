"""Code and value rules of the loader, run as the SQL the loader runs.

NHS numbers are checked against shared/reference/nhs-number (verdicts of the
PyPI package ``nhs-number``); SNOMED CT check digits against real concept ids and
the two error classes Verhoeff is built to catch; value formats against a plain
Python statement of each documented rule.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import get_args

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tripleaim.warehouse.loaders.rules import CODE_FORMATS, REASONS, ColumnRules
from tripleaim.warehouse.schema import TABLES
from tripleaim.warehouse.schema.model import CodeSystem

# shared/ sits beside the project (as in CI); see settings.Settings.shared_dir.
NHS_FIXTURE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "reference"
    / "nhs-number"
    / "nhs_numbers.csv"
)
TODAY = date(2025, 11, 25)

# Cases where the package applies Scotland's CHI date-of-birth rule on top of Modulus 11
# (README, behaviour 3). tripleaim checks Modulus 11 only: English extracts hold
# English numbers, and the NHS Data Dictionary defines validity by the check digit.
CHI_DATE_RULE = "valid_mod11:scotland_chi_impossible_date"


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def verdicts(
    con: duckdb.DuckDBPyConnection,
    table: str,
    column: str,
    values: Sequence[str | None],
) -> list[str | None]:
    """The loader's reason for each value (None when it passes), in one SQL query."""
    rules = ColumnRules(TABLES[table].column(column), "v", typed=False, today=TODAY)
    rows = con.execute(
        f"SELECT i, {rules.reason()} FROM (SELECT unnest(?::VARCHAR[]) AS v, "
        "generate_subscripts(?::VARCHAR[], 1) AS i) ORDER BY i",
        [list(values), list(values)],
    ).fetchall()
    return [reason for _, reason in rows]


def nhs_cases() -> list[dict[str, str]]:
    with NHS_FIXTURE.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_nhs_number_fixture_has_the_documented_500_cases():
    cases = nhs_cases()
    assert len(cases) == 500
    assert sum(c["is_valid"] == "1" for c in cases) == 189


def test_nhs_numbers_agree_with_the_package_on_every_plain_ten_digit_case(con):
    cases = [
        c for c in nhs_cases() if re.fullmatch("[0-9]{10}", json.loads(c["input_json"]))
    ]
    ours = verdicts(
        con,
        "person_identity",
        "nhs_number",
        [json.loads(c["input_json"]) for c in cases],
    )
    disagreements = {
        c["case_id"]
        for c, reason in zip(cases, ours, strict=True)
        if (reason is None) != (c["is_valid"] == "1")
    }
    chi = {
        c["case_id"]
        for c in cases
        if c["constructed_as"] == CHI_DATE_RULE or c["input"] == "2222222222"
    }
    assert len(cases) > 300
    assert disagreements == chi
    assert len(chi) == 11


def test_nhs_number_verdict_is_plain_modulus_11_on_ten_digits(con):
    cases = [
        c for c in nhs_cases() if re.fullmatch("[0-9]{10}", json.loads(c["input_json"]))
    ]
    ours = verdicts(
        con,
        "person_identity",
        "nhs_number",
        [json.loads(c["input_json"]) for c in cases],
    )
    for case, reason in zip(cases, ours, strict=True):
        digits, expected_check = (
            json.loads(case["input_json"]),
            int(case["own_mod11_check_digit"]),
        )
        if expected_check == 10:
            assert reason == REASONS["nhs_number_10"], case["case_id"]
        elif int(digits[-1]) != expected_check:
            assert reason == REASONS["nhs_number_check"], case["case_id"]
        else:
            assert reason is None, case["case_id"]


def test_nhs_numbers_must_be_written_as_ten_ascii_digits(con):
    # Spaced or dashed forms, full-width and Arabic-Indic digits, padding and
    # trailing text are all refused: an extract carries the standardised form.
    cases = [
        c
        for c in nhs_cases()
        if not re.fullmatch("[0-9]{10}", json.loads(c["input_json"]))
    ]
    values = [json.loads(c["input_json"]) for c in cases]
    ours = verdicts(con, "person_identity", "nhs_number", values)
    assert len(cases) > 100
    assert all(reason is not None for reason in ours)
    assert any(c["is_valid"] == "1" for c in cases)  # the package accepts some of them


def test_standardised_nhs_numbers_the_package_accepts_are_accepted(con):
    cases = [
        c
        for c in nhs_cases()
        if c["constructed_as"].startswith("format_ok") and c["standardised"]
    ]
    ours = verdicts(
        con, "person_identity", "nhs_number", [c["standardised"] for c in cases]
    )
    assert len(cases) > 20
    assert [reason is None for reason in ours] == [c["is_valid"] == "1" for c in cases]


def test_nhs_number_test_range_examples(con):
    assert verdicts(
        con,
        "person_identity",
        "nhs_number",
        ["9434765919", "9990000018", "9434765918", "943 476 5919"],
    ) == [
        None,
        None,
        REASONS["nhs_number_check"],
        "not an NHS number: ten digits, no spaces, with a valid Modulus 11 check digit (e.g. 9434765919)",
    ]


CODE_REASON = {
    code: f"not {fmt.description} (e.g. {fmt.example})"
    for code, fmt in CODE_FORMATS.items()
}

REAL_SNOMED = [
    "73211009",  # diabetes mellitus
    "44054006",  # type 2 diabetes mellitus
    "38341003",  # hypertensive disorder
    "195967001",  # asthma
    "13645005",  # chronic obstructive lung disease
    "84114007",  # heart failure
    "49436004",  # atrial fibrillation
    "709044004",  # chronic kidney disease
    "35489007",  # depressive disorder
    "22298006",  # myocardial infarction
    "900000000000207008",  # SNOMED CT core module (18 digits, long format partition 10)
]


def test_real_snomed_concept_ids_pass(con):
    assert verdicts(con, "conditions", "snomed_code", REAL_SNOMED) == [None] * len(
        REAL_SNOMED
    )


def single_digit_errors(code: str) -> list[str]:
    return [
        code[:i] + d + code[i + 1 :]
        for i in range(len(code))
        for d in "0123456789"
        if d != code[i]
    ]


def adjacent_transpositions(code: str) -> list[str]:
    return [
        code[:i] + code[i + 1] + code[i] + code[i + 2 :]
        for i in range(len(code) - 1)
        if code[i] != code[i + 1]
    ]


@pytest.mark.parametrize("code", REAL_SNOMED)
def test_every_single_digit_error_in_a_real_snomed_id_is_caught(con, code):
    corrupted = single_digit_errors(code)
    reasons = verdicts(con, "conditions", "snomed_code", corrupted)
    assert all(reason is not None for reason in reasons)
    # Corruptions that keep the format and partition fail on the check digit itself.
    checked = [
        r
        for v, r in zip(corrupted, reasons, strict=True)
        if v[0] != "0" and v[-3:-1] == code[-3:-1]
    ]
    assert checked
    assert set(checked) == {REASONS["snomed_check"]}


@pytest.mark.parametrize("code", REAL_SNOMED)
def test_every_adjacent_transposition_in_a_real_snomed_id_is_caught(con, code):
    reasons = verdicts(con, "conditions", "snomed_code", adjacent_transpositions(code))
    assert all(reason is not None for reason in reasons)


def test_snomed_format_and_partition(con):
    assert verdicts(
        con, "conditions", "snomed_code", ["12345", "073211009", "7321100X", "73211039"]
    ) == [
        "not a SNOMED CT identifier: 6 to 18 digits, no leading zero, with a valid partition and Verhoeff check digit (e.g. 73211009)",
        "not a SNOMED CT identifier: 6 to 18 digits, no leading zero, with a valid partition and Verhoeff check digit (e.g. 73211009)",
        "not a SNOMED CT identifier: 6 to 18 digits, no leading zero, with a valid partition and Verhoeff check digit (e.g. 73211009)",
        REASONS["snomed_partition"],
    ]


@pytest.mark.parametrize(
    ("table", "column", "good", "bad"),
    [
        (
            "inpatient_spells",
            "primary_diagnosis",
            ["E119", "I10", "J440", "I21X", "U071"],
            ["E11.9", "e119", "E1", "119", "E1191X"],
        ),
        (
            "inpatient_spells",
            "secondary_diagnoses",
            ["I10;E119", "J45"],
            ["I10;", ";I10", "I10; E119", "I10,E119", "I10;E11.9"],
        ),
        (
            "inpatient_spells",
            "primary_procedure",
            ["W371", "H01", "Z942", "O291"],
            ["W37.1", "I011", "W3711", "w371"],
        ),
        (
            "inpatient_spells",
            "secondary_procedures",
            ["W371;Y981"],
            ["W371;;Y981", "W371;I011"],
        ),
        (
            "persons",
            "lsoa_code",
            ["E01014070"],
            ["E0101407", "W01000001", "E02000001", "e01014070"],
        ),
        (
            "lsoas",
            "place_code",
            ["E06000019", "W06000001", "S12000033", "N09000001"],
            ["E0600001", "X06000019"],
        ),
        ("persons", "practice_code", ["M81001"], ["M8100", "81001M", "MM1001"]),
        (
            "inpatient_spells",
            "provider_code",
            ["RLQ", "RLQ01", "QGH", "15E00"],
            ["RL", "RLQ0123", "rlq", "RL Q"],
        ),
        (
            "inpatient_spells",
            "treatment_function",
            ["100", "300"],
            ["10", "1000", "1OO"],
        ),
        ("prescribing", "bnf_section", ["0601", "0205"], ["601", "06.01", "06011"]),
    ],
)
def test_code_formats(con, table, column, good, bad):
    assert verdicts(con, table, column, good) == [None] * len(good)
    assert all(reason is not None for reason in verdicts(con, table, column, bad))


def test_every_code_system_of_the_schema_has_a_documented_format(con):
    assert set(CODE_FORMATS) == set(get_args(CodeSystem))
    for code, fmt in CODE_FORMATS.items():
        sql = f"SELECT regexp_full_match('{fmt.example}', '{fmt.pattern}')"
        assert con.execute(sql).fetchall() == [(True,)], code


def test_organisation_codes_are_ods_codes_or_gss_codes_for_places(con):
    assert verdicts(
        con,
        "organisations",
        "org_code",
        ["RLQ", "M81001", "15E00", "E06000019", "E0600001", "RLQ0123"],
    ) == [
        None,
        None,
        None,
        None,
        CODE_REASON["org_code"],
        CODE_REASON["org_code"],
    ]


def test_a_dotted_icd10_or_opcs4_code_is_told_to_drop_the_dot(con):
    assert verdicts(con, "inpatient_spells", "primary_diagnosis", ["E11.9"]) == [
        "ICD-10 codes are written without a dot (e.g. E119)"
    ]
    assert verdicts(con, "inpatient_spells", "primary_procedure", ["W37.1"]) == [
        "OPCS-4 codes are written without a dot (e.g. W371)"
    ]


# --- value formats, against a plain Python statement of each documented rule ---


def python_int(text: str) -> bool:
    canonical = re.fullmatch("-?(0|[1-9][0-9]*)", text) is not None and text != "-0"
    return canonical and -(2**63) <= int(text) < 2**63


def python_float(text: str) -> bool:
    return re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text) is not None and float(
        text
    ) != float("inf")


def python_date(text: str) -> bool:
    if re.fullmatch("[0-9]{4}-[0-9]{2}-[0-9]{2}", text) is None:
        return False
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        return False
    return date(1900, 1, 1) <= parsed <= TODAY


def python_timestamp(text: str) -> bool:
    if (
        re.fullmatch(
            r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?",
            text,
        )
        is None
    ):
        return False
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return False
    return EARLIEST <= parsed < AFTER_TODAY


EARLIEST = datetime.fromisoformat("1900-01-01 00:00:00")  # extracts carry no time zone
AFTER_TODAY = datetime.fromisoformat("2025-11-26 00:00:00")


def python_bool(text: str) -> bool:
    return text.lower() in ("true", "false")


def text_like(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=1, max_size=24)


NUMBERISH = text_like("0123456789-.e+ _x")
DATEISH = st.one_of(
    st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)).map(
        date.isoformat
    ),
    st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
    ),
    text_like("0123456789-/T :"),
)
TIMEISH = st.one_of(
    st.datetimes(
        min_value=datetime.fromisoformat("1890-01-01"),
        max_value=datetime.fromisoformat("2030-01-01"),
    ).map(lambda d: d.isoformat(sep=" ")),
    st.datetimes(
        min_value=datetime.fromisoformat("1890-01-01"),
        max_value=datetime.fromisoformat("2030-01-01"),
    ).map(lambda d: d.isoformat()),
    st.builds(
        lambda d, h, s: f"{d} {h:02d}:00:{s:02d}",
        DATEISH,
        st.integers(0, 25),
        st.integers(0, 61),
    ),
    text_like("0123456789-: T.+Z"),
)
RULE_CASES = {
    "int": ("births", "birth_id", python_int, NUMBERISH),
    "float": ("national_activity", "value", python_float, NUMBERISH),
    "date": ("deaths", "date_of_death", python_date, DATEISH),
    "timestamp": ("ae_attendances", "arrival_time", python_timestamp, TIMEISH),
    "bool": (
        "national_areas",
        "in_footprint",
        python_bool,
        st.sampled_from(["true", "TRUE", "False", "1", "0", "t", "yes", " true"]),
    ),
}


@pytest.mark.parametrize("kind", RULE_CASES)
def test_value_rules_match_the_documented_rule(con, kind):
    table, column, oracle, strategy = RULE_CASES[kind]
    col = TABLES[table].column(column)
    # Columns whose only rule is the type, so the oracle is the whole truth.
    assert (col.maximum, col.allowed, col.code) == (None, None, None)

    @settings(
        max_examples=300,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(strategy, min_size=1, max_size=40))
    def check(values):
        reasons = verdicts(con, table, column, values)
        for value, reason in zip(values, reasons, strict=True):
            expected = oracle(value) and (
                col.minimum is None or float(value) >= col.minimum
            )
            assert (reason is None) == expected, (value, reason)

    check()


def test_missing_values(con):
    assert verdicts(con, "inpatient_spells", "spell_id", [None]) == [REASONS["missing"]]
    assert verdicts(con, "inpatient_spells", "secondary_diagnoses", [None]) == [None]


def test_ranges_and_allowed_values(con):
    assert verdicts(
        con, "inpatient_spells", "length_of_stay", ["0", "3650", "-1", "3651"]
    ) == [
        None,
        None,
        "less than the minimum, 0",
        "more than the maximum, 3650",
    ]
    assert verdicts(
        con, "inpatient_spells", "admission_method", ["emergency", "Emergency", "21"]
    ) == [
        None,
        "not one of the allowed values: elective, emergency, maternity, other",
        "not one of the allowed values: elective, emergency, maternity, other",
    ]
    assert verdicts(
        con,
        "inpatient_spells",
        "admission_date",
        ["1899-12-31", "2025-11-25", "2025-11-26"],
    ) == [
        REASONS["early"],
        None,
        REASONS["future"],
    ]
