"""Render the data model as Markdown: ``docs/data-model.md`` is generated from the schema.

Run ``python -m tripleaim.warehouse.schema.docs > docs/data-model.md``; a test fails when
the committed file differs, so the reference never drifts from the code.
"""

from __future__ import annotations

from tripleaim.warehouse.schema import TABLES
from tripleaim.warehouse.schema.model import Column

CODE_SYSTEMS = {
    "icd10": "ICD-10 (WHO 5th edition as used in HES), written without the dot: `E119`, `I10`, `J440`.",
    "icd10_list": "ICD-10 codes as above, separated by `;`.",
    "opcs4": "OPCS-4 (OPCS Classification of Interventions and Procedures, 4.9), without the dot: `W371`.",
    "opcs4_list": "OPCS-4 codes as above, separated by `;`.",
    "lsoa11": "ONS 2011 Lower layer Super Output Area code: `E01` and six digits.",
    "gss": "ONS Government Statistical Service code: a letter and eight digits (`E06000019`).",
    "ods_practice": "NHS Organisation Data Service GP practice code: a letter and five digits (`M81001`).",
    "ods_org": "NHS Organisation Data Service code: three to six letters and digits (`QGH`, `RWP`, `U12199`).",
    "snomed": "SNOMED CT concept identifier: 6-18 digits, partition identifier 00/01/02/10/11/12, Verhoeff check digit.",
    "nhs_number": "NHS number: 10 digits with a Modulus 11 check digit.",
    "bnf_section": "British National Formulary section: chapter and section, 4 digits (`0601`).",
    "org_code": "An ODS organisation code, or an ONS GSS code for places and districts.",
    "treatment_function": "NHS Data Dictionary TREATMENT FUNCTION CODE: 3 digits (`100`).",
}

GROUP_TITLES = {
    "reference": "Reference: organisations and geography",
    "population": "Population: people, conditions, deaths and births",
    "activity": "Activity",
    "comparators": "National comparators",
    "derived": "Derived by the capabilities",
    "metadata": "Warehouse bookkeeping",
}


def _rules(col: Column) -> str:
    parts = []
    if col.code:
        parts.append(f"`{col.code}`")
    if col.allowed:
        parts.append("one of " + ", ".join(f"`{v}`" for v in col.allowed))
    if col.minimum is not None:
        parts.append(f"≥ {col.minimum:g}")
    if col.maximum is not None:
        parts.append(f"≤ {col.maximum:g}")
    if col.references:
        parts.append(f"→ `{col.references[0]}.{col.references[1]}`")
    return "; ".join(parts)


def render() -> str:
    """The whole data-model reference."""
    lines = [
        "# Data model",
        "",
        "<!-- Generated from src/tripleaim/warehouse/schema by "
        "`python -m tripleaim.warehouse.schema.docs`; do not edit by hand. -->",
        "",
        "One model of the footprint, defined once in `src/tripleaim/warehouse/schema/`. The loaders "
        "validate against it, the synthetic generator writes to it, both engines read it. Dates "
        "must be on or after 1900-01-01 and not in the future; where a table lists ordered "
        "columns, the first must not be after the second. How the synthetic data is made, and "
        "the open data and licences behind it, are in [synthetic-data.md](synthetic-data.md); "
        "the file formats to load are in [extract-formats.md](extract-formats.md).",
        "",
        "Person-level tables are keyed by a pseudonymised `person_id`. NHS number and name live "
        "only in `person_identity`, which analytic outputs never join.",
        "",
    ]
    for group, title in GROUP_TITLES.items():
        lines += [f"## {title}", ""]
        for t in (t for t in TABLES.values() if t.group == group):
            lines += [
                f"### `{t.name}`",
                "",
                t.description,
                "",
                f"Key: {', '.join(f'`{k}`' for k in t.primary_key)}.",
            ]
            if t.ordered:
                lines.append(
                    "Ordered: "
                    + "; ".join(f"`{a}` ≤ `{b}`" for a, b in t.ordered)
                    + "."
                )
            if t.identifiable:
                lines.append("**Identifiable: direct care only.**")
            lines += [
                "",
                "| column | type | required | rules | description |",
                "|---|---|---|---|---|",
            ]
            for c in t.columns:
                lines.append(
                    f"| `{c.name}` | {c.type} | {'no' if c.nullable else 'yes'} | {_rules(c)} | {c.description} |"
                )
            lines.append("")
    lines += ["## Code systems", "", "| code | format |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in CODE_SYSTEMS.items()]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")  # noqa: T201
