"""Loading extract files into a real, file-backed DuckDB warehouse.

Each test builds a small warehouse under ``tmp_path``: organisations, LSOAs and
persons are loaded through the loader itself, then the file under test.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tripleaim.errors import LoadError, NotFoundError
from tripleaim.warehouse.engines.duckdb import open_connection
from tripleaim.warehouse.loaders import load_file, quarantine, write_extract
from tripleaim.warehouse.loaders.extracts import example_value, reference_markdown
from tripleaim.warehouse.loaders.rules import CODE_FORMATS, REASONS, ColumnRules
from tripleaim.warehouse.schema import LOADABLE_TABLES, TABLES

TODAY = date(2025, 11, 25)

ORGANISATIONS = """\
org_code,org_name,org_type,parent_code,icb_code,place_code,postcode,open_date,close_date
QGH,NHS Herefordshire and Worcestershire ICB,icb,,QGH,,WR4 9RW,2022-07-01,
RLQ,Wye Valley NHS Trust,trust,QGH,QGH,E06000019,HR1 2ER,2011-04-01,
RLQ01,County Hospital,site,RLQ,QGH,E06000019,HR1 2ER,,
M81001,"Market Street Surgery, Ledbury",practice,QGH,QGH,E06000019,,1974-04-01,
"""
LSOAS = """\
lsoa_code,lsoa_name,msoa_code,msoa_name,lad_code,lad_name,place_code,place_name,sub_icb_code,icb_code,imd_score,imd_rank,imd_decile,resident_population
E01014070,Herefordshire 001A,E02002975,Herefordshire 001,E06000019,"Herefordshire, County of",E06000019,"Herefordshire, County of",18C,QGH,12.5,20000,7,1500
"""
PERSONS_HEADER = "person_id,sex,date_of_birth,lsoa_code,practice_code,registration_start,registration_end,ethnic_group"
INPATIENT_HEADER = ",".join(TABLES["inpatient_spells"].column_names)
GOOD_SPELL = "1,1,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,I10;J440,W371,Y981,4,300,2500.50"


def write(path: Path, text: str, *, bom: bool = False, newline: str = "\n") -> Path:
    data = text.replace("\n", newline).encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def persons_csv(n: int) -> str:
    rows = [f"{i},F,1950-01-01,E01014070,M81001,1990-01-01,,A" for i in range(1, n + 1)]
    return "\n".join([PERSONS_HEADER, *rows]) + "\n"


def spells_csv(rows: list[str]) -> str:
    return "\n".join([INPATIENT_HEADER, *rows]) + "\n"


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = open_connection(path)
    for table, text in (
        ("organisations", ORGANISATIONS),
        ("lsoas", LSOAS),
        ("persons", persons_csv(5)),
    ):
        result = load_file(
            con, table, write(tmp_path / f"{table}.csv", text), today=TODAY
        )
        assert result.rows_quarantined == 0, quarantine.show(
            con, result.batch_id
        ).to_pylist()
    yield con
    con.close()


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def problems(
    con: duckdb.DuckDBPyConnection, batch_id: int
) -> dict[int, set[tuple[str, str]]]:
    found: dict[int, set[tuple[str, str]]] = {}
    for row in quarantine.show(con, batch_id, limit=None).to_pylist():
        found.setdefault(row["row_number"], set()).add(
            (row["column_name"], row["reason"])
        )
    return found


def test_a_file_mixing_good_rows_with_rows_breaking_each_rule(warehouse, tmp_path):
    bad = {
        2: (
            "abc,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,4,300,10",
            {("spell_id", REASONS["int"])},
        ),
        3: (
            "3,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,4,300,10.5",
            set(),
        ),
        4: (
            "4,999,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,4,300,10",
            {
                (
                    "person_id",
                    "unknown person: no persons row has this person_id (load persons first)",
                )
            },
        ),
        5: (
            "5,2,rlq,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,4,300,10",
            {
                (
                    "provider_code",
                    "not an ODS organisation code: three to six capital letters or digits (e.g. RLQ)",
                )
            },
        ),
        6: (
            "6,2,RLQ,RWP01,2023-04-01,2023-04-05,emergency,false,E119,,,,4,300,10",
            {
                (
                    "site_code",
                    "unknown organisation: no organisations row has this org_code (load organisations first)",
                )
            },
        ),
        7: (
            "7,2,RLQ,RLQ01,2023-02-30,2023-04-05,emergency,false,E119,,,,4,300,10",
            {("admission_date", REASONS["date_real"])},
        ),
        8: (
            "8,2,RLQ,RLQ01,01/04/2023,2023-04-05,emergency,false,E119,,,,4,300,10",
            {("admission_date", REASONS["date"])},
        ),
        9: (
            "9,2,RLQ,RLQ01,2023-04-06,2023-04-05,emergency,false,E119,,,,0,300,10",
            {("discharge_date", "discharge_date is before admission_date")},
        ),
        10: (
            "10,2,RLQ,RLQ01,2023-04-01,2023-04-05,Emergency,false,E119,,,,4,300,10",
            {
                (
                    "admission_method",
                    "not one of the allowed values: elective, emergency, maternity, other",
                )
            },
        ),
        11: (
            "11,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,yes,E119,,,,4,300,10",
            {("day_case", REASONS["bool"])},
        ),
        12: (
            "12,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E11.9,,,,4,300,10",
            {
                (
                    "primary_diagnosis",
                    "ICD-10 codes are written without a dot (e.g. E119)",
                )
            },
        ),
        13: (
            "13,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,,,,,4,300,10",
            {("primary_diagnosis", REASONS["missing"])},
        ),
        14: (
            "14,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,I10;;J440,,,4,300,10",
            {
                (
                    "secondary_diagnoses",
                    "not ICD-10 codes (no dots) separated by ';' with no spaces (e.g. I10;E119)",
                )
            },
        ),
        15: (
            "15,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,I011,,4,300,10",
            {
                (
                    "primary_procedure",
                    "not an OPCS-4 code: a capital letter other than I, then two or three digits, no dot (e.g. W371)",
                )
            },
        ),
        16: (
            "16,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,-1,300,10",
            {("length_of_stay", "less than the minimum, 0")},
        ),
        17: (
            "17,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,4000,300,10",
            {("length_of_stay", "more than the maximum, 3650")},
        ),
        18: (
            "18,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,4,300,1e3",
            {("cost_gbp", REASONS["float"])},
        ),
        19: (
            "19,2,RLQ,RLQ01,1899-12-31,2023-04-05,emergency,false,E119,,,,4,300,10",
            {("admission_date", REASONS["early"])},
        ),
        20: (
            "20,2,RLQ,RLQ01,2025-11-20,2025-11-26,emergency,false,E119,,,,6,300,10",
            {("discharge_date", REASONS["future"])},
        ),
        21: (
            "21,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,4,1000,10",
            {
                (
                    "treatment_function",
                    "not a treatment function code: three digits (e.g. 100)",
                )
            },
        ),
        22: (
            "1,3,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,4,300,10",
            {("*", "duplicate key: another row of this file has the same spell_id")},
        ),
        23: (
            "99999999999999999999,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,4,300,10",
            {("spell_id", REASONS["int_size"])},
        ),
        24: (
            "24,2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,,,,4.0,300,2000001",
            {
                ("length_of_stay", REASONS["int"]),
                ("cost_gbp", "more than the maximum, 2000000"),
            },
        ),
    }
    rows = [GOOD_SPELL] + [line for line, _ in bad.values()]
    result = load_file(
        warehouse,
        "inpatient_spells",
        write(tmp_path / "spells.csv", spells_csv(rows)),
        today=TODAY,
    )
    expected = {n: reasons for n, (_, reasons) in bad.items() if reasons}
    expected[1] = {
        ("*", "duplicate key: another row of this file has the same spell_id")
    }
    assert problems(warehouse, result.batch_id) == expected
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        24,
        1,
        23,
    )
    assert warehouse.execute(
        "SELECT spell_id, cost_gbp FROM inpatient_spells"
    ).fetchall() == [(3, 10.5)]
    assert result.message == (
        "Loaded 1 of 24 rows from spells.csv into inpatient_spells (batch 4); "
        "23 held in quarantine (see quarantine batch 4)."
    )


def test_quarantine_keeps_file_row_value_and_the_whole_row_as_read(warehouse, tmp_path):
    line = '{id},2,RLQ,RLQ01,2023-04-01,2023-04-05,emergency,false,E119,"I10",,,4,300,{cost}'
    rows = [GOOD_SPELL, line.format(id=7, cost="1.5"), line.format(id=8, cost="£1.50")]
    path = write(tmp_path / "one.csv", spells_csv(rows))
    result = load_file(warehouse, "inpatient_spells", path, today=TODAY)
    (held,) = quarantine.show(warehouse, result.batch_id).to_pylist()
    assert held | {"original_row": None} == {
        "batch_id": result.batch_id,
        "table_name": "inpatient_spells",
        "file_name": "one.csv",
        "row_number": 3,
        "column_name": "cost_gbp",
        "value": "£1.50",
        "reason": REASONS["float"],
        "original_row": None,
    }
    original = json.loads(held["original_row"])
    assert list(original) == list(TABLES["inpatient_spells"].column_names)
    assert original["cost_gbp"] == "£1.50"
    assert original["secondary_procedures"] is None


def test_nhs_numbers_and_snomed_codes_are_checked(warehouse, tmp_path):
    identity = "person_id,nhs_number,given_name,family_name\n1,9434765919,Ann,Ash\n2,9434765918,Bo,Birch\n3,943 476 5919,Cy,Cole\n"
    result = load_file(
        warehouse, "person_identity", write(tmp_path / "id.csv", identity), today=TODAY
    )
    assert problems(warehouse, result.batch_id) == {
        2: {("nhs_number", REASONS["nhs_number_check"])},
        3: {
            (
                "nhs_number",
                "not an NHS number: ten digits, no spaces, with a valid Modulus 11 check digit (e.g. 9434765919)",
            )
        },
    }
    conditions = "person_id,condition,snomed_code,diagnosis_date\n1,diabetes,44054006,2015-03-01\n1,asthma,195967002,2001-01-01\n"
    result = load_file(
        warehouse,
        "conditions",
        write(tmp_path / "conditions.csv", conditions),
        today=TODAY,
    )
    assert problems(warehouse, result.batch_id) == {
        2: {("snomed_code", REASONS["snomed_check"])}
    }


def test_organisations_may_refer_to_parents_in_the_same_file(warehouse, tmp_path):
    text = (
        "org_code,org_name,org_type,parent_code,icb_code,place_code,postcode,open_date,close_date\n"
        "RWP,Worcestershire Acute,trust,QGH,QGH,E10000034,,2000-01-01,\n"
        "RWP50,Worcestershire Royal,site,RWP,QGH,E10000034,,,\n"
        "RXX,Closed before it opened,trust,QGH,QGH,,,2000-01-01,1999-01-01\n"
        "RXX01,Site of RXX,site,RXX,QGH,,,,\n"
        "RYY01,Orphan,site,RYY,QGH,,,,\n"
    )
    result = load_file(
        warehouse, "organisations", write(tmp_path / "more.csv", text), today=TODAY
    )
    assert problems(warehouse, result.batch_id) == {
        3: {("close_date", "close_date is before open_date")},
        4: {
            (
                "parent_code",
                "its parent_code is a row of this file that cannot be loaded (quarantined, or the chain of parent_code loops)",
            )
        },
        5: {
            (
                "parent_code",
                "unknown organisation: no organisations row has this org_code (load organisations first)",
            )
        },
    }
    assert {
        r[0] for r in warehouse.execute("SELECT org_code FROM organisations").fetchall()
    } >= {"RWP", "RWP50"}


def test_a_reload_of_the_same_file_does_nothing_and_says_so(warehouse, tmp_path):
    path = write(
        tmp_path / "spells.csv",
        spells_csv([GOOD_SPELL, GOOD_SPELL.replace("1,1,", "2,1,", 1)]),
    )
    first = load_file(warehouse, "inpatient_spells", path, today=TODAY)
    again = load_file(warehouse, "inpatient_spells", path, today=TODAY)
    assert (first.rows_loaded, first.skipped_as_duplicate) == (2, False)
    assert again.skipped_as_duplicate
    assert (again.batch_id, again.rows_read, again.rows_loaded, again.sha256) == (
        first.batch_id,
        0,
        0,
        first.sha256,
    )
    assert "already loaded into inpatient_spells as batch 4" in again.message
    assert count(warehouse, "inpatient_spells") == 2
    assert len(quarantine.list_batches(warehouse)) == 4


def test_the_same_rows_in_a_different_file_are_held_as_already_loaded(
    warehouse, tmp_path
):
    load_file(
        warehouse,
        "inpatient_spells",
        write(tmp_path / "a.csv", spells_csv([GOOD_SPELL])),
        today=TODAY,
    )
    result = load_file(
        warehouse,
        "inpatient_spells",
        write(tmp_path / "b.csv", spells_csv([GOOD_SPELL]), newline="\r\n"),
        today=TODAY,
    )
    assert problems(warehouse, result.batch_id) == {
        1: {
            (
                "*",
                "key already in the warehouse: inpatient_spells has a row with this spell_id from an earlier load",
            )
        }
    }
    assert count(warehouse, "inpatient_spells") == 1


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            INPATIENT_HEADER.replace("cost_gbp", "Cost_GBP").replace("day_case,", ""),
            "spells.csv: wrong header for inpatient_spells in line 1 (the header): missing columns day_case, cost_gbp; "
            "unknown columns 'Cost_GBP' (did you mean 'cost_gbp'?).",
        ),
        (INPATIENT_HEADER + ",spell_id", "columns named more than once: spell_id"),
        (
            "spell_id;person_id",
            "missing columns spell_id, person_id, provider_code, site_code, admission_date, discharge_date, "
            "admission_method, day_case, primary_diagnosis, secondary_diagnoses, primary_procedure, "
            "secondary_procedures, length_of_stay, treatment_function, cost_gbp; unknown columns "
            "'spell_id;person_id'; the header has one column: are the columns separated by ';' instead of ','?",
        ),
    ],
)
def test_a_wrong_header_rejects_the_file_whole(warehouse, tmp_path, header, expected):
    path = write(tmp_path / "spells.csv", header + "\n" + GOOD_SPELL + "\n")
    with pytest.raises(LoadError, match="wrong header") as caught:
        load_file(warehouse, "inpatient_spells", path, today=TODAY)
    assert expected in str(caught.value)
    assert count(warehouse, "inpatient_spells") == count(warehouse, "quarantine") == 0
    assert len(quarantine.list_batches(warehouse)) == 3


def test_columns_may_come_in_any_order(warehouse, tmp_path):
    names = list(TABLES["inpatient_spells"].column_names)
    row = dict(zip(names, next(csv.reader([GOOD_SPELL])), strict=True))
    shuffled = list(reversed(names))
    text = ",".join(shuffled) + "\n" + ",".join(row[n] for n in shuffled) + "\n"
    result = load_file(
        warehouse,
        "inpatient_spells",
        write(tmp_path / "reversed.csv", text),
        today=TODAY,
    )
    assert result.rows_loaded == 1
    assert warehouse.execute(
        "SELECT provider_code, length_of_stay FROM inpatient_spells"
    ).fetchall() == [("RLQ", 4)]


def test_an_empty_file_is_rejected_naming_the_columns_expected(warehouse, tmp_path):
    with pytest.raises(LoadError) as caught:
        load_file(
            warehouse,
            "inpatient_spells",
            write(tmp_path / "empty.csv", ""),
            today=TODAY,
        )
    assert str(caught.value).startswith(
        "empty.csv: the file is empty (0 bytes): expected a header line with the columns spell_id, person_id,"
    )


def test_a_header_only_file_loads_no_rows_and_says_so(warehouse, tmp_path):
    result = load_file(
        warehouse,
        "inpatient_spells",
        write(tmp_path / "none.csv", INPATIENT_HEADER),
        today=TODAY,
    )
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (0, 0, 0)
    assert (
        result.message
        == "none.csv has a header and no rows: nothing loaded into inpatient_spells (batch 4)."
    )


def test_a_byte_order_mark_and_windows_line_ends_are_accepted(warehouse, tmp_path):
    rows = [GOOD_SPELL, GOOD_SPELL.replace("1,1,", "2,1,", 1).replace(",Y981,", ",,")]
    path = write(tmp_path / "excel.csv", spells_csv(rows), bom=True, newline="\r\n")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfspell_id,")
    result = load_file(warehouse, "inpatient_spells", path, today=TODAY)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert warehouse.execute(
        "SELECT spell_id, secondary_procedures, cost_gbp FROM inpatient_spells ORDER BY 1"
    ).fetchall() == [
        (1, "Y981", 2500.5),
        (2, None, 2500.5),
    ]


def test_a_file_that_is_not_utf8_is_rejected_with_offset_and_line(warehouse, tmp_path):
    text = spells_csv([GOOD_SPELL, GOOD_SPELL.replace("1,1,", "2,1,", 1)])
    data = text.encode("utf-8").replace(b"2,1,RLQ", b"2,1,RL\xa3", 1)
    path = tmp_path / "latin1.csv"
    path.write_bytes(data)
    with pytest.raises(LoadError) as caught:
        load_file(warehouse, "inpatient_spells", path, today=TODAY)
    offset = data.index(b"\xa3")
    assert str(caught.value).startswith(
        f"latin1.csv: not UTF-8: byte 0xA3 at byte offset {offset} (line 3)"
    )


def test_a_utf16_file_is_rejected(warehouse, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes(spells_csv([GOOD_SPELL]).encode("utf-16"))
    with pytest.raises(LoadError, match="the file is UTF-16; save it as UTF-8"):
        load_file(warehouse, "inpatient_spells", path, today=TODAY)


def test_a_row_with_the_wrong_number_of_fields_rejects_the_file_naming_the_line(
    warehouse, tmp_path
):
    path = write(tmp_path / "short.csv", spells_csv([GOOD_SPELL, "2,1,RLQ,RLQ01"]))
    with pytest.raises(LoadError) as caught:
        load_file(warehouse, "inpatient_spells", path, today=TODAY)
    assert str(caught.value).startswith(
        "short.csv: line 3 has 4 fields but the header has 15;"
    )
    assert "RLQ01" not in str(caught.value)
    assert (
        count(warehouse, "inpatient_spells")
        == count(warehouse, "load_batches") - 3
        == 0
    )


def test_an_unclosed_quote_rejects_the_file(warehouse, tmp_path):
    path = write(
        tmp_path / "quote.csv", spells_csv([GOOD_SPELL.replace("Y981", '"Y981')])
    )
    with pytest.raises(
        LoadError, match=r"quote.csv: line 2 has a quoted field that is not closed"
    ):
        load_file(warehouse, "inpatient_spells", path, today=TODAY)


def test_missing_unknown_and_unreadable_files_are_rejected(warehouse, tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_file(warehouse, "inpatient_spells", tmp_path / "absent.csv")
    with pytest.raises(LoadError, match=r"unknown kind of file '.xlsx'"):
        load_file(warehouse, "inpatient_spells", write(tmp_path / "spells.xlsx", "x"))
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(LoadError, match=r"folder\.csv: not a file"):
        load_file(warehouse, "inpatient_spells", tmp_path / "folder.csv")


def test_unknown_and_bookkeeping_tables_cannot_be_loaded(warehouse, tmp_path):
    path = write(tmp_path / "x.csv", "a\n1\n")
    with pytest.raises(NotFoundError):
        load_file(warehouse, "spells", path)
    with pytest.raises(LoadError, match="bookkeeping"):
        load_file(warehouse, "quarantine", path)


def test_parquet_extracts_round_trip_and_are_validated_like_csv(warehouse, tmp_path):
    load_file(
        warehouse,
        "inpatient_spells",
        write(tmp_path / "s.csv", spells_csv([GOOD_SPELL])),
        today=TODAY,
    )
    typed = tmp_path / "spells.parquet"
    assert write_extract(warehouse, "inpatient_spells", typed) == 1
    warehouse.execute("DELETE FROM inpatient_spells")
    result = load_file(warehouse, "inpatient_spells", typed, today=TODAY)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 0)
    text = tmp_path / "text.parquet"
    warehouse.execute(
        f"COPY (SELECT * REPLACE (CAST(spell_id + 1 AS VARCHAR) AS spell_id, 'E11.9' AS primary_diagnosis, "
        f"'' AS secondary_diagnoses, 99 AS person_id) FROM inpatient_spells) TO '{text}' (FORMAT parquet)"
    )
    result = load_file(warehouse, "inpatient_spells", text, today=TODAY)
    assert problems(warehouse, result.batch_id) == {
        1: {
            ("primary_diagnosis", "ICD-10 codes are written without a dot (e.g. E119)"),
            (
                "person_id",
                "unknown person: no persons row has this person_id (load persons first)",
            ),
        }
    }


def test_a_parquet_column_of_the_wrong_type_rejects_the_file(warehouse, tmp_path):
    load_file(
        warehouse,
        "inpatient_spells",
        write(tmp_path / "s.csv", spells_csv([GOOD_SPELL])),
        today=TODAY,
    )
    path = tmp_path / "double.parquet"
    warehouse.execute(
        f"COPY (SELECT * REPLACE (CAST(spell_id AS DOUBLE) AS spell_id) FROM inpatient_spells) TO '{path}' (FORMAT parquet)"
    )
    with pytest.raises(
        LoadError, match=r"spell_id is DOUBLE \(expected BIGINT or VARCHAR\)"
    ):
        load_file(warehouse, "inpatient_spells", path, today=TODAY)
    broken = write(tmp_path / "broken.parquet", "not parquet")
    with pytest.raises(LoadError, match="not a Parquet file"):
        load_file(warehouse, "inpatient_spells", broken, today=TODAY)


def test_csv_extracts_round_trip_exactly(warehouse, tmp_path):
    rows = [
        GOOD_SPELL,
        GOOD_SPELL.replace("1,1,", "2,1,", 1)
        .replace("2500.50", "0.00001")
        .replace("E119,I10;J440", 'C509,"I10;E119"'),
    ]
    load_file(
        warehouse,
        "inpatient_spells",
        write(tmp_path / "in.csv", spells_csv(rows)),
        today=TODAY,
    )
    before = warehouse.execute(
        "SELECT * FROM inpatient_spells ORDER BY spell_id"
    ).fetchall()
    out = tmp_path / "out.csv"
    assert write_extract(warehouse, "inpatient_spells", out) == 2
    assert "0.00001" in out.read_text(encoding="utf-8")
    warehouse.execute("DELETE FROM inpatient_spells")
    result = load_file(warehouse, "inpatient_spells", out, today=TODAY)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert (
        warehouse.execute("SELECT * FROM inpatient_spells ORDER BY spell_id").fetchall()
        == before
    )


def big_spells_csv(
    con: duckdb.DuckDBPyConnection, path: Path, rows: int, bad_every: int
) -> Path:
    """Spells 1..rows for person 1; every ``bad_every``-th has an impossible date."""
    con.execute(
        "COPY (SELECT range AS spell_id, 1 AS person_id, 'RLQ' AS provider_code, 'RLQ01' AS site_code, "
        f"CASE WHEN range % {bad_every} = 0 THEN '2023-02-30' ELSE '2023-04-01' END AS admission_date, "
        "'2023-04-05' AS discharge_date, 'emergency' AS admission_method, 'false' AS day_case, "
        "'E119' AS primary_diagnosis, 'I10;J440' AS secondary_diagnoses, 'W371' AS primary_procedure, "
        "NULL AS secondary_procedures, 4 AS length_of_stay, '300' AS treatment_function, "
        f"'2500.50' AS cost_gbp FROM range(1, {rows + 1})) TO '{path}' (FORMAT csv, HEADER true)"
    )
    return path


def test_row_numbers_follow_the_file_on_a_file_read_in_parallel(warehouse, tmp_path):
    path = big_spells_csv(warehouse, tmp_path / "big.csv", 300_000, bad_every=29_989)
    result = load_file(warehouse, "inpatient_spells", path, today=TODAY)
    held = quarantine.show(warehouse, result.batch_id, limit=None).to_pylist()
    assert [(r["row_number"], r["value"]) for r in held] == [
        (n, "2023-02-30") for n in range(29_989, 300_001, 29_989)
    ]
    assert all(
        json.loads(r["original_row"])["spell_id"] == str(r["row_number"]) for r in held
    )
    assert result.rows_loaded == 300_000 - len(held)


KILLED_LOAD = """
import sys
from datetime import date
from pathlib import Path
from tripleaim.warehouse.engines.duckdb import open_connection
from tripleaim.warehouse.loaders import load_file
con = open_connection(sys.argv[1])
print("loading", flush=True)
load_file(con, "inpatient_spells", Path(sys.argv[2]), today=date(2025, 11, 25))
print("finished", flush=True)
"""


def test_a_load_killed_part_way_leaves_nothing_behind(warehouse, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    path = big_spells_csv(warehouse, tmp_path / "big.csv", 2_000_000, bad_every=1_000)
    warehouse.execute("CHECKPOINT")
    warehouse.close()
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_LOAD, str(db), str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "loading\n"
    size = db.stat().st_size
    deadline = time.monotonic() + 120
    # Wait until the load writes table blocks to the warehouse file: mid-transaction.
    while (
        db.stat().st_size == size
        and child.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.005)
    assert child.poll() is None, (
        "the load finished before it could be killed; make the file bigger"
    )
    assert db.stat().st_size > size
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    con = open_connection(db)
    try:
        assert count(con, "inpatient_spells") == 0
        assert count(con, "quarantine") == 0
        assert [b.table_name for b in quarantine.list_batches(con)] == [
            "organisations",
            "lsoas",
            "persons",
        ]
        result = load_file(con, "inpatient_spells", path, today=TODAY)
        assert (
            result.skipped_as_duplicate,
            result.rows_loaded,
            result.rows_quarantined,
        ) == (False, 1_998_000, 2_000)
    finally:
        con.close()


def test_quarantine_listing_summary_and_export(warehouse, tmp_path):
    rows = [
        GOOD_SPELL,
        GOOD_SPELL.replace("1,1,", "2,9,", 1),
        GOOD_SPELL.replace("1,1,", "3,8,", 1).replace("E119", "E11.9"),
    ]
    result = load_file(
        warehouse,
        "inpatient_spells",
        write(tmp_path / "s.csv", spells_csv(rows)),
        today=TODAY,
    )
    batches = quarantine.list_batches(warehouse)
    assert [
        (
            b.batch_id,
            b.table_name,
            b.file_name,
            b.rows_read,
            b.rows_loaded,
            b.rows_quarantined,
        )
        for b in batches
    ][-1] == (
        result.batch_id,
        "inpatient_spells",
        "s.csv",
        3,
        1,
        2,
    )
    assert [
        (s.table_name, s.column_name, s.rows) for s in quarantine.summary(warehouse)
    ] == [
        ("inpatient_spells", "person_id", 2),
        ("inpatient_spells", "primary_diagnosis", 1),
    ]
    assert quarantine.show(warehouse, result.batch_id, limit=1).num_rows == 1
    out = tmp_path / "held" / "quarantine.csv"
    assert quarantine.export(warehouse, result.batch_id, out) == 3
    with out.open(newline="", encoding="utf-8") as fh:
        exported = list(csv.DictReader(fh))
    assert [(r["row_number"], r["column_name"], r["value"]) for r in exported] == [
        ("2", "person_id", "9"),
        ("3", "person_id", "8"),
        ("3", "primary_diagnosis", "E11.9"),
    ]
    assert quarantine.export(warehouse, None, tmp_path / "all.csv") == 3
    with pytest.raises(NotFoundError, match="no load batch 99"):
        quarantine.show(warehouse, 99)


def test_extract_formats_doc_is_current():
    doc = (Path(__file__).parents[2] / "docs" / "extract-formats.md").read_text(
        encoding="utf-8"
    )
    assert doc.endswith(reference_markdown().rstrip("\n") + "\n")
    for fmt in CODE_FORMATS.values():
        assert fmt.description in doc
    for reason in REASONS.values():
        assert reason in doc


def test_documented_example_values_meet_their_rules():
    con = open_connection(":memory:")
    for name in LOADABLE_TABLES:
        for column in TABLES[name].columns:
            rules = ColumnRules(column, "v", typed=False, today=TODAY)
            value = example_value(column) or None
            assert con.execute(
                f"SELECT {rules.reason()} FROM (SELECT ?::VARCHAR AS v)", [value]
            ).fetchall() == [(None,)], (name, column.name, value)


def test_the_load_benchmark_runs_on_a_small_extract(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "bench_load", Path(__file__).parents[2] / "benchmarks" / "bench_load.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    warehouse = tmp_path / "warehouse.duckdb"
    con = open_connection(warehouse)
    bench.seed_reference(con, persons=1_000)
    bench.write_inpatient_extract(con, tmp_path / "spells.csv", 20_000, TODAY)
    con.close()
    figures = bench.run(
        warehouse, tmp_path / "spells.csv", tmp_path / "results", today=TODAY
    )
    assert figures["rows"] == figures["rows_read"] == 20_000
    assert 100 < figures["rows_quarantined"] < 400  # about 1% bad rows, some in pairs
    assert figures["rows_loaded"] + figures["rows_quarantined"] == 20_000
    assert (
        json.loads(
            (tmp_path / "results" / "bench_load.json").read_text(encoding="utf-8")
        )["ratio"]
        == figures["ratio"]
    )
