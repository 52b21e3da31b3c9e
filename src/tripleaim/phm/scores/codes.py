"""Long-format diagnosis rows encoded for vectorised scoring.

Scoring works on integer indices, not strings: person ids and codes are each
dictionary-encoded once (Arrow's hash kernels), codes are normalised on the small
dictionary of distinct codes rather than on every row, and each distinct code is
matched against a code list once. Rows then only index arrays, so 8 million rows cost
a few array operations whatever the number of categories (see
``docs/methods/phm-scores.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tripleaim.errors import UserError

ICD10_SHAPE = r"^[A-Z][0-9]{2}[0-9A-Z]{0,4}$"
"""A well-formed normalised ICD-10 code: a letter, two digits, up to four more
characters (UK 4th/5th characters, the ``X`` filler, ``D``/``A`` suffixes)."""

_ICD10 = re.compile(ICD10_SHAPE)

BoolMatrix = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


class ScoreInputError(UserError):
    """Rows given to a score cannot be used (names the column and what is wrong)."""


def normalise(codes: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Codes as comorbidipy's fixtures normalise them: strip, upper-case, drop dots.

    Nothing else changes: a trailing ``X`` or a 5th character stays. Nulls stay null.
    """
    text = pc.cast(codes, pa.string())
    cleaned = pc.replace_substring(
        pc.utf8_upper(pc.utf8_trim_whitespace(text)), ".", ""
    )
    return cleaned.combine_chunks() if isinstance(cleaned, pa.ChunkedArray) else cleaned


def normalise_series(codes: pd.Series) -> pd.Series:
    """:func:`normalise` for a pandas series (same index)."""
    return pd.Series(
        normalise(pa.array(codes, from_pandas=True)).to_pandas(), index=codes.index
    )


def is_well_formed_icd10(codes: pa.Array) -> npt.NDArray[np.bool_]:
    """True where a normalised code has the shape of an ICD-10 code."""
    return np.asarray(
        pc.fill_null(pc.match_substring_regex(codes, ICD10_SHAPE), False), dtype=bool
    )


def well_formed_icd10(code: str) -> bool:
    """One code (already normalised): has it the shape of an ICD-10 code?"""
    return bool(_ICD10.match(code))


def _encode(values: pa.Array, *, sort: bool) -> tuple[IntArray, pa.Array]:
    """Row indices into a dictionary of distinct values (-1 for null)."""
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    dictionary = encoded.dictionary
    indices = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64)
    if sort and len(dictionary):
        order = np.asarray(pc.array_sort_indices(dictionary), dtype=np.int64)
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order), dtype=np.int64)
        dictionary = dictionary.take(pa.array(order))
        indices = np.where(indices >= 0, rank[np.maximum(indices, 0)], -1)
    return indices, dictionary


@dataclass(frozen=True)
class EncodedRows:
    """Diagnosis rows as integer indices.

    Attributes:
        person_ids: Distinct person ids, sorted: row ``i`` of every result.
        person_index: Per row, the index of its person.
        codes: Distinct normalised codes (no empty string).
        code_index: Per row, the index of its code, -1 when the code is null or empty.
        ages: Per person, the largest age on their rows (NaN if none).
    """

    person_ids: pa.Array
    person_index: IntArray
    codes: pa.Array
    code_index: IntArray
    ages: npt.NDArray[np.float64]

    @property
    def persons(self) -> int:
        """Number of distinct persons."""
        return len(self.person_ids)

    def truncated(self, length: int) -> EncodedRows:
        """The same rows with every code cut to its first ``length`` characters."""
        cut = pc.utf8_slice_codeunits(self.codes, 0, length)
        index, codes = _encode(cut, sort=False)
        code_index = np.where(
            self.code_index >= 0, index[np.maximum(self.code_index, 0)], -1
        )
        return EncodedRows(
            self.person_ids, self.person_index, codes, code_index, self.ages
        )


def _column(frame: pd.DataFrame, name: str) -> pa.Array:
    if name not in frame.columns:
        raise ScoreInputError(
            f"The rows have no column {name!r}; columns are {', '.join(map(str, frame.columns))}."
        )
    array = pa.array(frame[name], from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def encode(
    frame: pd.DataFrame, id_col: str, code_col: str, age_col: str | None = None
) -> EncodedRows:
    """Encode long-format rows (one per person and code) for scoring.

    Args:
        frame: One row per diagnosis; a person with no diagnosis may have one row
            whose code is null or empty, and is scored with zeros.
        id_col: The person identifier column.
        code_col: The ICD code column (raw: it is normalised here).
        age_col: The age column, if any (each person's largest age is used).

    Raises:
        ScoreInputError: If a column is missing or a person id is null.
    """
    ids = _column(frame, id_col)
    if ids.null_count:
        raise ScoreInputError(
            f"{ids.null_count} row(s) have no {id_col!r}; every row needs a person id."
        )
    person_index, person_ids = _encode(ids, sort=True)
    raw_index, raw_codes = _encode(_column(frame, code_col), sort=False)
    normalised = normalise(raw_codes)
    norm_index, codes = _encode(normalised, sort=False)
    # The empty code (a person with no diagnoses) is not a code.
    empty = np.asarray(pc.fill_null(pc.equal(codes, ""), True), dtype=bool)
    norm_index = np.where(empty[np.maximum(norm_index, 0)], -1, norm_index)
    code_index = np.where(raw_index >= 0, norm_index[np.maximum(raw_index, 0)], -1)
    ages = np.full(len(person_ids), np.nan)
    if age_col is not None:
        values = pc.cast(_column(frame, age_col), pa.float64())
        np.fmax.at(ages, person_index, values.to_numpy(zero_copy_only=False))
    return EncodedRows(person_ids, person_index, codes, code_index, ages)


def prefix_matrix(
    codes: pa.Array, categories: dict[str, tuple[str, ...]]
) -> BoolMatrix:
    """Which categories each distinct code falls in: a code matches a pattern it starts with.

    Returns:
        A boolean matrix, one row per code and one column per category (in order).
    """
    matrix = np.zeros((len(codes), len(categories)), dtype=bool)
    lengths = sorted({len(p) for patterns in categories.values() for p in patterns})
    prefixes = {n: pc.utf8_slice_codeunits(codes, 0, n) for n in lengths}
    for column, patterns in enumerate(categories.values()):
        for n in lengths:
            chosen = [p for p in patterns if len(p) == n]
            if chosen:
                hit = pc.is_in(prefixes[n], value_set=pa.array(chosen, pa.string()))
                matrix[:, column] |= np.asarray(pc.fill_null(hit, False), dtype=bool)
    return matrix


def person_flags(rows: EncodedRows, matrix: BoolMatrix) -> BoolMatrix:
    """Per person, whether any of their codes falls in each category."""
    flags = np.zeros((rows.persons, matrix.shape[1]), dtype=bool)
    if not len(rows.codes):
        return flags
    mapped: npt.NDArray[np.bool_] = np.asarray(matrix.any(axis=1))
    keep: npt.NDArray[np.bool_] = np.asarray(rows.code_index >= 0)
    keep[keep] = mapped[rows.code_index[keep]]
    persons, codes = rows.person_index[keep], rows.code_index[keep]
    for column in range(matrix.shape[1]):
        hit = matrix[codes, column]
        flags[persons[hit], column] = True
    return flags


def person_frame(rows: EncodedRows, id_col: str, with_age: bool) -> pd.DataFrame:
    """The id (and age) columns of a one-row-per-person result."""
    frame = pd.DataFrame({id_col: rows.person_ids.to_pandas()})
    if with_age:
        frame["age"] = rows.ages
    return frame
