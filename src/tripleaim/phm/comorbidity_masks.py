"""Comorbidity categories on the engine: distinct codes matched once, OR-ed bit masks.

Charlson and Elixhauser flags per person from long-format codes: each distinct code
is matched against the category patterns once (one pattern table per length), gets
one int64 mask per 62 categories, and a person's masks are OR-ed (decision 0051;
docs/methods/phm-scores.md, "Performance").
"""

from __future__ import annotations

from collections.abc import Mapping

import ibis
import ibis.expr.types as ir

from tripleaim.phm.spec import CodeList, Weighting
from tripleaim.warehouse import queries


def _pattern_table(categories: Mapping[str, tuple[str, ...]], length: int) -> ir.Table:
    """``pattern``, ``category`` for the patterns of one length.

    One table per length, not one table filtered by ``length(pattern)``: from such a
    filter DuckDB infers ``length(substr(code, ...))`` and evaluates it on every row
    before the distinct codes are taken.
    """
    rows = [
        (p, name)
        for name, codes in categories.items()
        for p in codes
        if len(p) == length
    ]
    return ibis.memtable(
        {"pattern": [p for p, _ in rows], "category": [c for _, c in rows]},
        schema={"pattern": "string", "category": "string"},
    )


def matched_categories(
    codes: ir.Table, categories: Mapping[str, tuple[str, ...]], key: str = "person_id"
) -> ir.Table:
    """Distinct ``key``, ``category`` where a ``code`` starts with a pattern."""
    lengths = sorted({len(p) for codes_ in categories.values() for p in codes_})
    parts = []
    for length in lengths:
        chosen = _pattern_table(categories, length)
        keyed = codes.select(key, prefix=codes.code.substr(0, length))
        joined = keyed.join(chosen, keyed.prefix == chosen.pattern)
        parts.append(joined.select(key, "category"))
    if len(parts) == 1:
        return parts[0].distinct()
    return ibis.union(*parts, distinct=True)


BITS_PER_MASK = 62
"""Categories packed into one int64 mask (bits 0 to 61; no sign bit)."""


def code_categories(
    codes: ir.Table, categories: Mapping[str, tuple[str, ...]]
) -> ir.Table:
    """Distinct ``code``, ``category``: each distinct code is matched once, not each row."""
    return matched_categories(codes.select("code").distinct(), categories, key="code")


def category_masks(
    codes: ir.Table, categories: Mapping[str, tuple[str, ...]]
) -> tuple[ir.Table, list[tuple[str, str, int]]]:
    """Per person, the categories of their codes as bit masks.

    Each distinct code gets one mask per ``BITS_PER_MASK`` categories (the sum of
    its distinct categories' bits); rows join to their code's masks and a person's
    masks are OR-ed (``bit_or``): one narrow aggregate instead of a maximum per
    category (docs/methods/phm-scores.md, "Performance").

    Returns:
        The table (``person_id``, ``mask_0`` ...) of persons with a mapped code, and
        for each category its mask column and bit.
    """
    names = list(categories)
    bits = [
        (name, f"mask_{i // BITS_PER_MASK}", 1 << (i % BITS_PER_MASK))
        for i, name in enumerate(names)
    ]
    masks = sorted({column for _, column, _ in bits})
    lookup = ibis.memtable(
        {
            "b_category": names,
            **{
                column: [bit if c == column else 0 for _, c, bit in bits]
                for column in masks
            },
        },
        schema={"b_category": "string", **dict.fromkeys(masks, "int64")},
    )
    found = code_categories(codes, categories)
    found = found.join(lookup, found.category == lookup.b_category)
    per_code = found.group_by("code").aggregate(
        **{column: found[column].sum() for column in masks}
    )
    per_code = per_code.rename(m_code="code")
    joined = codes.join(per_code, codes.code == per_code.m_code)
    per_person = joined.group_by("person_id").aggregate(
        **{column: queries.any_bits(joined[column]) for column in masks}
    )
    return per_person, bits


def comorbidity_scores(
    codes: ir.Table,
    codelist: CodeList,
    weighting: Weighting,
    *,
    assign0: bool,
    prefix: str,
) -> ir.Table:
    """Per person with a mapped code: ``<prefix>_<category>`` flags and ``<prefix>_score``."""
    categories = {name: c.codes for name, c in codelist.categories.items()}
    masks, bits = category_masks(codes, categories)
    flags = masks.select(
        "person_id",
        **{
            name: ((masks[column] & bit) != 0).ifelse(1, 0).cast("int64")
            for name, column, bit in bits
        },
    )
    if assign0:
        flags = flags.mutate(
            **{
                pair.milder: (flags[pair.severe] == 1).ifelse(0, flags[pair.milder])
                for pair in codelist.hierarchy
            }
        )
    score = sum(
        (flags[name] * weighting.weights[name] for name in categories),
        start=ibis.literal(0, "int64"),
    )
    if weighting.floor is not None:
        score = ibis.greatest(score, weighting.floor)
    return flags.select(
        "person_id",
        **{f"{prefix}_{name}": flags[name] for name in categories},
        **{f"{prefix}_score": score.cast("int64")},
    )
