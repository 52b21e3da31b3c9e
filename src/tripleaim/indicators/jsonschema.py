"""The JSON Schema of an indicator definition file, generated from ``IndicatorSpec``.

The committed copy, ``docs/schemas/indicator-definition.schema.json``, lets editors and
other tools check a definition without tripleaim; a test keeps it equal to this
output. Regenerate it with::

    python -m tripleaim.indicators.jsonschema > docs/schemas/indicator-definition.schema.json

The schema states each field's type, pattern and allowed values. The rules across
fields (a DSR needs a mid-year population denominator with the numerator's ages, and
so on) are checked by ``IndicatorSpec`` when a file is read, not by the schema.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from tripleaim.indicators.spec import IndicatorSpec

SCHEMA_ID = "urn:tripleaim:schema:indicator-definition"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def indicator_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every ``definitions/*.yaml`` file satisfies."""
    generated = IndicatorSpec.model_json_schema()
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        **generated,
        "title": "tripleaim indicator definition",
        "description": (
            "One indicator definition: a YAML file in "
            "src/tripleaim/indicators/definitions/, read by "
            "tripleaim.indicators.spec.IndicatorSpec. Rules across fields are "
            "checked when the file is read; see docs/methods/indicators.md."
        ),
    }


def render() -> str:
    """The schema as the committed file holds it: indented JSON and a final newline."""
    return json.dumps(indicator_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - exercised by the docs test's command
    sys.stdout.write(render())
