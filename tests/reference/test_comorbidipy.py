"""The pure scorers against comorbidipy 0.8.0 on its published fixtures.

``../shared/reference/comorbidipy/expected/*.csv`` hold comorbidipy's output on
normalised codes (strip, upper-case, drop dots: the fixtures' README). Every column of
every patient must agree, the no-code patients (one row with code ``""``) included:
flags exactly, scores within 1e-9, survival within a relative 1e-12. HFRS is compared
with ``hfrs_score_3char``, Gilbert's once-per-category sum (comorbidipy 0.8 counts a
category twice when two of its codes appear; the README explains).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tripleaim.phm import comorbidity, disability, hfrs, normalise_series

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "reference" / "comorbidipy"
EXPECTED = sorted((FIXTURES / "expected").glob("*.csv"))


def _input(icd: str) -> pd.DataFrame:
    frame = pd.read_csv(
        FIXTURES / f"input_{icd}.csv",
        dtype={"patient_id": str, "code": str},
        keep_default_na=False,
    )
    frame["code"] = normalise_series(frame["code"])
    return frame


def _score(name: str) -> pd.DataFrame:
    if name.startswith(("charlson", "elixhauser")):
        score, icd, variant, assign0 = name.split("_")
        return comorbidity(
            _input(icd),
            score=score,
            icd=icd,
            variant=variant,
            assign0=assign0 == "assign0-true",
        )
    if name == "hfrs":
        return hfrs(_input("icd10")).rename(
            columns={
                "hfrs_score": "hfrs_score_3char",
                "hfrs_category": "hfrs_category_3char",
            }
        )
    return disability(_input("icd10"))


def test_every_fixture_file_is_listed_in_the_manifest():
    manifest = json.loads((FIXTURES / "manifest.json").read_text())
    assert sorted(p.stem for p in EXPECTED) == sorted(manifest["files"])


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_scores_match_comorbidipy_for_every_patient_and_column(path: Path):
    expected = pd.read_csv(path, dtype={"patient_id": str}, keep_default_na=False)
    got = _score(path.stem)
    assert len(got) == len(expected)
    expected = expected.set_index("patient_id").sort_index()
    got = got.set_index("patient_id").sort_index()
    assert list(got.index) == list(expected.index)
    compared = [c for c in got.columns if c in expected.columns]
    # Every expected column is produced, apart from the peer's own HFRS columns.
    missing = set(expected.columns) - set(compared)
    assert missing <= {"hfrs_score_peer", "hfrs_category_peer"}, missing
    for column in compared:
        want, have = expected[column], got[column]
        if column.endswith("category_3char"):
            assert (have.astype(str) == want.astype(str)).all(), column
        elif column.startswith("survival"):
            np.testing.assert_allclose(have, want, rtol=1e-12, atol=0, err_msg=column)
        elif column.startswith(("score", "age_adj", "hfrs_score", "age")):
            np.testing.assert_allclose(have, want, rtol=0, atol=1e-9, err_msg=column)
        else:
            assert (have.to_numpy() == want.to_numpy()).all(), column


def test_patients_without_codes_are_scored_as_zeros():
    frame = _input("icd10")
    empty = set(frame.loc[frame["code"] == "", "patient_id"])
    got = comorbidity(frame).set_index("patient_id").loc[sorted(empty)]
    assert len(empty) == 84
    flags = got.drop(columns=[c for c in got.columns if "score" in c or c == "age"])
    flags = flags.drop(columns=["survival_10yr_charlson"])
    assert (flags.to_numpy() == 0).all()
    assert (got["score_charlson"] == 0).all()
