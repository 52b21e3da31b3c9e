"""Exports for Excel users: formatting, blanks with reasons, and no formulas from data."""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from tripleaim.indicators import export, reading, spreadsheet

AREA = {
    "area_level": "icb",
    "area_code": "QGH",
    "area_name": "NHS Test Integrated Care Board",
    "level_title": "System",
}
META = export.Meta(
    title="Health and wellbeing gap, 2023/24",
    footprint="NHS Test Integrated Care Board",
    period="2023/24",
    generated=datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
    threshold=7,
)


def worse_rows() -> pd.DataFrame:
    """Two indicators worse than England: one published, one suppressed (small count)."""
    base = {
        "indicator_id": "emergency_admissions_dsr",
        "title": "Emergency admissions, all ages, DSR per 100,000",
        "domain": "care_and_quality",
        "unit": "per 100,000",
        "benchmark": "england",
        "benchmark_value": 10_067.4,
        "compared_95": "worse",
        "rank": 2.0,
        "rank_of": 2.0,
        "trend": "no_significant_change",
        "area_level": "icb",
        "area_code": "QGH",
        "area_name": AREA["area_name"],
    }
    published = {
        **base,
        "value": 12_345.678,
        "lower_95": 11_000.0,
        "upper_95": 13_000.0,
        "excess": 30.0,
        "adverse": 30.0,
        "value_reason": None,
    }
    hidden = {
        **base,
        "indicator_id": "alcohol_specific_admissions_dsr",
        "title": '=HYPERLINK("http://example.com")',
        "value": pd.NA,
        "lower_95": pd.NA,
        "upper_95": pd.NA,
        "excess": float("nan"),
        "adverse": float("nan"),
        "value_reason": "small_count",
    }
    frame = pd.DataFrame([published, hidden])
    for name in ("value", "lower_95", "upper_95"):
        frame[name] = frame[name].astype("Float64")
    return frame


def life_expectancy() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": "life_expectancy_at_birth_female",
                "title": "Life expectancy at birth, females",
                "area_level": "icb",
                "area_code": "QGH",
                "area_name": AREA["area_name"],
                "value": 82.5,
                "lower_95": 82.0,
                "upper_95": 83.0,
                "england_value": 83.0,
                "compared_95": "similar",
                "sii": 7.25,
                "sii_lower_95": 5.0,
                "sii_upper_95": 9.5,
                "sii_reason": None,
                "value_reason": None,
            }
        ]
    )


def gap() -> reading.AreaGap:
    return reading.AreaGap(
        area=AREA,
        worse=worse_rows(),
        life_expectancy=life_expectancy(),
        counts={"worse": 2, "similar": 10},
    )


@pytest.fixture
def book() -> Workbook:
    return load_workbook(io.BytesIO(export.health_gap_workbook([gap()], META)))


@pytest.mark.parametrize("text", ["=1+1", "+44", "-2", "@SUM(A1)", "\tx"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_neutralised(text: str) -> None:
    assert export.safe_text(text) == "'" + text


def test_ordinary_text_and_missing_values_are_left_alone() -> None:
    assert export.safe_text("Worcestershire") == "Worcestershire"
    assert export.safe_text(None) == ""
    assert export.safe_text(pd.NA) == ""


def test_missing_numbers_are_blank_in_csv_never_nan() -> None:
    columns = (export.Column("name", "Name"), export.Column("value", "Value", "value"))
    rows = [
        {"name": "a", "value": float("nan")},
        {"name": "b", "value": pd.NA},
        {"name": "c", "value": math.inf},
        {"name": "=cmd", "value": 1.5},
    ]
    text = export.to_csv(columns, rows).decode("utf-8")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Name", "Value"],
        ["a", ""],
        ["b", ""],
        ["c", ""],
        ["'=cmd", "1.5"],
    ]


def test_codes_get_readable_labels() -> None:
    assert export.label("not_compared") == "Not compared"
    assert export.label("higher_is_better") == "Higher is better"
    assert export.label(float("nan")) is None


def test_the_gap_workbook_has_contents_one_sheet_per_area_and_life_expectancy(
    book: Workbook,
) -> None:
    assert book.sheetnames == ["Contents", "System", "Life expectancy gap"]
    contents = book["Contents"]
    text = " ".join(
        str(c.value) for row in contents.iter_rows() for c in row if c.value
    )
    assert "Health and wellbeing gap, 2023/24" in text
    assert "from 1 to 7 are suppressed" in text
    assert "Open Government Licence v3.0" in text
    assert "01 May 2024 09:30 UTC" in text
    (link,) = [c for c in contents["A"] if c.value == "System" and c.hyperlink]
    assert link.hyperlink.location == "'System'!A1"


def test_headers_are_nhs_blue_frozen_and_filterable(book: Workbook) -> None:
    sheet = book["System"]
    header = sheet["A1"]
    assert header.value == "Gap rank"
    assert header.fill.fgColor.rgb.endswith("005EB8")
    assert header.font.bold
    assert header.font.color.rgb.endswith("FFFFFF")
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Q3"
    assert sheet.column_dimensions["B"].width > 20


def test_values_have_one_decimal_place_and_comparisons_are_coloured(
    book: Workbook,
) -> None:
    sheet = book["System"]
    headers = [c.value for c in sheet[1]]
    value = sheet.cell(row=2, column=headers.index("Value") + 1)
    assert value.value == pytest.approx(12_345.678)
    assert value.number_format == "#,##0.0"
    compared = sheet.cell(row=2, column=headers.index("Compared with benchmark") + 1)
    assert compared.value == "Worse"
    assert compared.fill.fgColor.rgb.endswith("F4B6B6")


def test_suppressed_cells_are_blank_with_the_reason(book: Workbook) -> None:
    sheet = book["System"]
    headers = [c.value for c in sheet[1]]
    row = {h: sheet.cell(row=3, column=i + 1) for i, h in enumerate(headers)}
    assert row["Value"].value is None
    assert row["Lower 95% limit"].value is None
    assert row["Excess (count)"].value is None
    assert row["Reason"].value == "Small count"
    assert row["Gap rank"].value == 2


def test_text_from_data_is_never_a_formula_in_the_workbook(book: Workbook) -> None:
    cell = book["System"]["B3"]
    assert cell.value == '=HYPERLINK("http://example.com")'
    assert cell.data_type == "s"


def test_life_expectancy_shows_the_gap_to_england_and_across_deprivation(
    book: Workbook,
) -> None:
    sheet = book["Life expectancy gap"]
    headers = [c.value for c in sheet[1]]
    row = {h: sheet.cell(row=2, column=i + 1).value for i, h in enumerate(headers)}
    assert row["Gap to England (years)"] == pytest.approx(-0.5)
    assert row["Inequality gap across deprivation (SII, years)"] == pytest.approx(7.25)
    assert row["Compared with England"] == "Similar"


def test_an_area_with_nothing_worse_says_so() -> None:
    empty = reading.AreaGap(AREA, worse_rows().iloc[0:0], life_expectancy(), {})
    book = load_workbook(io.BytesIO(export.health_gap_workbook([empty], META)))
    assert book["System"]["B2"].value.startswith("No indicator is significantly worse")


def test_sheet_names_follow_excel_rules() -> None:
    book = Workbook()
    long = "Bath and North East Somerset/Swindon: [West]"
    first = spreadsheet.sheet_title(book, long)
    book.create_sheet(first)
    second = spreadsheet.sheet_title(book, long)
    assert len(first) <= 31
    assert len(second) <= 31
    assert not set(first) & set("[]:*?/\\")
    assert second.endswith("(2)")


def test_the_disclosure_note_says_when_control_is_off() -> None:
    off = export.Meta("t", "f", "2023/24", META.generated, threshold=0)
    assert "off" in off.disclosure()
