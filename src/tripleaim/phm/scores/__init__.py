"""Pure, vectorised scorers on pandas frames of long-format (person, code, age) rows."""

from __future__ import annotations

from tripleaim.phm.scores.codes import ScoreInputError, normalise, normalise_series
from tripleaim.phm.scores.comorbidity import comorbidity
from tripleaim.phm.scores.frailty import disability, efi, hfrs

__all__ = [
    "ScoreInputError",
    "comorbidity",
    "disability",
    "efi",
    "hfrs",
    "normalise",
    "normalise_series",
]
