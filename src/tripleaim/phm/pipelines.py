"""Scores for every person as Ibis expressions over warehouse tables.

The same answers as the pure scorers in :mod:`tripleaim.phm.scores` on DuckDB and
Spark (spec tests in ``tests/spec/phm``). Diagnoses come from ``inpatient_spells``
admitted in the lookback window before the index date: the primary diagnosis and each
';'-separated secondary diagnosis, normalised as the scorers do (strip, upper-case,
drop dots). Prefix matching is an equality join per pattern length (``substr(code,
0, n) = pattern``), which both engines run as hash joins.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir

from tripleaim.phm.catalogue import catalogue
from tripleaim.phm.comorbidity_masks import comorbidity_scores, matched_categories
from tripleaim.phm.scores.codes import ICD10_SHAPE
from tripleaim.phm.scores.frailty import hfrs_tenths
from tripleaim.warehouse import queries

DIAGNOSIS_COLUMNS = ("primary_diagnosis", "secondary_diagnoses")


@dataclass(frozen=True)
class ScoreOptions:
    """What to score and over which window.

    Attributes:
        index_date: Scores use activity before this date.
        lookback_years: Inpatient spells admitted this many years before the index
            date count (Gilbert's HFRS looks back two years).
        charlson_variant: The ICD-10 Charlson mapping (``quan`` ...).
        charlson_weighting: The Charlson weighting (``charlson`` ...).
        elixhauser_weighting: The Elixhauser weighting (``van_walraven`` ...).
        assign0: Zero the milder form of a hierarchy pair when the severe is present.
    """

    index_date: date
    lookback_years: int = 2
    charlson_variant: str = "quan"
    charlson_weighting: str = "charlson"
    elixhauser_weighting: str = "van_walraven"
    assign0: bool = True

    @property
    def lookback_start(self) -> date:
        """The first admission date in the window (29 February falls back a day)."""
        year = self.index_date.year - self.lookback_years
        try:
            return self.index_date.replace(year=year)
        except ValueError:
            return self.index_date.replace(year=year, day=28)


def normalised(code: ir.StringValue) -> ir.StringValue:
    """``strip``, upper-case and drop dots, as :func:`scores.codes.normalise`."""
    # Upper-case before strip: ibis 12 writes Spark's TRIM set as ' \t\n\r\v\f',
    # which Spark reads as trimming the letters v and f too. A regex, not
    # ``replace``: ibis compiles ``replace`` on Spark to a regex replace, where an
    # unescaped dot matches every character.
    return code.upper().strip().re_replace(r"\.", "")


def window_spells(spells: ir.Table, options: ScoreOptions) -> ir.Table:
    """Spells admitted in ``[lookback_start, index_date)``."""
    admitted = queries.as_date(spells.admission_date)
    return spells.filter(
        admitted >= options.lookback_start, admitted < options.index_date
    )


def diagnosis_codes(spells: ir.Table) -> ir.Table:
    """One row per diagnosis: ``person_id``, ``source_column``, ``code`` (normalised).

    Null secondary diagnoses give no rows; an empty item (``E119;;I10``) gives an
    empty code, counted as malformed by :func:`code_report`.
    """
    primary = spells.select(
        person_id=spells.person_id,
        source_column=ibis.literal("primary_diagnosis"),
        code=normalised(spells.primary_diagnosis),
    )
    listed = spells.filter(spells.secondary_diagnoses.notnull())
    secondary = listed.select(
        person_id=listed.person_id,
        source_column=ibis.literal("secondary_diagnoses"),
        item=listed.secondary_diagnoses.split(";"),
    ).unnest("item")
    secondary = secondary.select(
        "person_id", "source_column", code=normalised(secondary.item)
    )
    return primary.union(secondary, distinct=False)


def hfrs_scores(codes: ir.Table) -> ir.Table:
    """Per person with an HFRS code: ``hfrs_tenths``, each category counted once."""
    tenths = hfrs_tenths(catalogue().hfrs)
    weights = ibis.memtable(
        {"category": list(tenths), "tenths": list(tenths.values())},
        schema={"category": "string", "tenths": "int64"},
    )
    keyed = codes.select("person_id", category3=codes.code.substr(0, 3))
    joined = keyed.join(weights, keyed.category3 == weights.category)
    distinct = joined.select("person_id", "category", "tenths").distinct()
    return distinct.group_by("person_id").aggregate(
        hfrs_tenths=distinct.tenths.sum().cast("int64")
    )


def condition_scores(conditions: ir.Table, index_date: date) -> ir.Table:
    """Per person with a recorded condition before the index date: eFI deficits and LTCs."""
    cat = catalogue()
    recorded = conditions.filter(conditions.diagnosis_date < index_date)
    pairs = [
        (slug, name) for name, d in cat.efi.deficits.items() for slug in d.conditions
    ]
    deficits = ibis.memtable(
        {"slug": [s for s, _ in pairs], "deficit": [d for _, d in pairs]},
        schema={"slug": "string", "deficit": "string"},
    )
    joined = recorded.left_join(deficits, recorded.condition == deficits.slug)
    known = list(cat.long_term_conditions.conditions)
    return joined.group_by("person_id").aggregate(
        efi_deficits=joined.deficit.nunique().cast("int64"),
        ltc_count=joined.condition.isin(known)
        .ifelse(joined.condition, ibis.null("string"))
        .nunique()
        .cast("int64"),
    )


def hfrs_band(tenths: ir.IntegerValue) -> ir.StringValue:
    """``low`` (< 5), ``intermediate`` (5 to 15) or ``high`` (> 15), on exact tenths."""
    bands = catalogue().hfrs.bands
    return ibis.cases(
        (tenths > round(bands.high_above * 10), "high"),
        (tenths >= round(bands.intermediate_from * 10), "intermediate"),
        else_="low",
    )


def efi_category(deficits: ir.IntegerValue) -> ir.StringValue:
    """The eFI category from the deficit count: above 0.12 x 36 mild, and so on."""
    spec = catalogue().efi

    def above(cut: float) -> int:
        return math.floor(cut * spec.denominator + 1e-9)

    cuts = spec.cut_points
    return ibis.cases(
        (deficits > above(cuts.severe_above), "severe"),
        (deficits > above(cuts.moderate_above), "moderate"),
        (deficits > above(cuts.mild_above), "mild"),
        else_="fit",
    )


def age_points(age: ir.IntegerValue) -> ir.IntegerValue:
    """Charlson age points: ``clip((age - 40) // 10, 0, 4)``."""
    points = ((age - 40) / 10).floor().cast("int64")
    return ibis.least(ibis.greatest(points, 0), 4)


def person_scores(tables: Mapping[str, ir.Table], options: ScoreOptions) -> ir.Table:
    """One row per person born by the index date: every score, zeros without activity.

    Args:
        tables: ``persons``, ``inpatient_spells`` and ``conditions``.
        options: Index date, lookback and the variants to score.

    Returns:
        The columns of the ``person_scores`` table.
    """
    cat = catalogue()
    spells = window_spells(tables["inpatient_spells"], options)
    codes = diagnosis_codes(spells)
    charlson = comorbidity_scores(
        codes,
        cat.codelist("charlson", "icd10", options.charlson_variant),
        cat.weightings[options.charlson_weighting],
        assign0=options.assign0,
        prefix="charlson",
    ).select("person_id", "charlson_score")
    elixhauser = comorbidity_scores(
        codes,
        cat.codelist("elixhauser", "icd10", "quan"),
        cat.weightings[options.elixhauser_weighting],
        assign0=options.assign0,
        prefix="elixhauser",
    ).select("person_id", "elixhauser_score")
    activity = spells.group_by("person_id").aggregate(
        spells=spells.count().cast("int64")
    )
    parts = {
        "a": activity,
        "c": charlson,
        "e": elixhauser,
        "h": hfrs_scores(codes),
        "k": condition_scores(tables["conditions"], options.index_date),
    }
    persons = tables["persons"]
    result = persons.filter(persons.date_of_birth <= options.index_date).select(
        "person_id", age=queries.age_at(persons.date_of_birth, options.index_date)
    )
    for name, part in parts.items():
        key = f"{name}_person_id"
        renamed = part.rename({key: "person_id"})
        result = result.left_join(renamed, result.person_id == renamed[key]).drop(key)
    zero = ibis.literal(0, "int64")
    spells_n = result.spells.coalesce(zero)
    charlson_score = result.charlson_score.coalesce(zero)
    tenths = result.hfrs_tenths.coalesce(zero)
    deficits = result.efi_deficits.coalesce(zero)
    ltcs = result.ltc_count.coalesce(zero)
    mm = cat.long_term_conditions
    return result.select(
        "person_id",
        index_date=ibis.literal(options.index_date, "date"),
        lookback_start=ibis.literal(options.lookback_start, "date"),
        age=result.age,
        has_inpatient_history=spells_n > 0,
        inpatient_spells=spells_n,
        charlson_score=charlson_score,
        charlson_age_adjusted=charlson_score + age_points(result.age),
        elixhauser_score=result.elixhauser_score.coalesce(zero),
        hfrs_score=tenths.cast("float64") / 10,
        hfrs_band=hfrs_band(tenths),
        has_condition_history=result.ltc_count.notnull(),
        efi_deficits=deficits,
        efi_score=deficits.cast("float64") / cat.efi.denominator,
        efi_category=efi_category(deficits),
        ltc_count=ltcs,
        multimorbidity=ltcs >= mm.multimorbidity_from,
        complex_multimorbidity=ltcs >= mm.complex_multimorbidity_from,
    )


def code_report(tables: Mapping[str, ir.Table], options: ScoreOptions) -> ir.Table:
    """Codes checked, malformed and unmapped per source table and column.

    Malformed: not the shape of an ICD-10 code after normalisation (empty items
    included). Unmapped: well formed but in none of the Charlson, Elixhauser or HFRS
    lists. For ``conditions.condition``: slugs not in ``long_term_conditions.yaml``.

    Returns:
        ``source_table``, ``source_column``, ``codes``, ``malformed``, ``unmapped``.
    """
    cat = catalogue()
    codes = diagnosis_codes(window_spells(tables["inpatient_spells"], options))
    every: dict[str, tuple[str, ...]] = {}
    for name in ("charlson_icd10_" + options.charlson_variant, "elixhauser_icd10_quan"):
        for category, spec in cat.codelists[name].categories.items():
            every[f"{name}.{category}"] = spec.codes
    every["hfrs"] = tuple(cat.hfrs.weights)
    distinct = codes.select(mapped_code=codes.code, code=codes.code).distinct()
    mapped = matched_categories(distinct, every, key="mapped_code")
    mapped = mapped.select("mapped_code").distinct()
    flagged = codes.left_join(mapped, codes.code == mapped.mapped_code)
    well_formed = flagged.code.re_search(ICD10_SHAPE)
    spells = flagged.group_by("source_column").aggregate(
        codes=flagged.count().cast("int64"),
        malformed=(~well_formed).ifelse(1, 0).sum().cast("int64"),
        unmapped=(well_formed & flagged.mapped_code.isnull())
        .ifelse(1, 0)
        .sum()
        .cast("int64"),
    )
    spells = spells.mutate(source_table=ibis.literal("inpatient_spells"))
    conditions = tables["conditions"]
    recorded = conditions.filter(conditions.diagnosis_date < options.index_date)
    unknown = ~recorded.condition.isin(list(cat.long_term_conditions.conditions))
    slugs = recorded.aggregate(
        codes=recorded.count().cast("int64"),
        malformed=ibis.literal(0, "int64"),
        unmapped=unknown.ifelse(1, 0).sum().coalesce(0).cast("int64"),
    ).mutate(
        source_table=ibis.literal("conditions"), source_column=ibis.literal("condition")
    )
    columns = ["source_table", "source_column", "codes", "malformed", "unmapped"]
    return spells.select(*columns).union(slugs.select(*columns), distinct=False)
