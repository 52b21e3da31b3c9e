"""Population health management: comorbidity, frailty and multimorbidity scores.

The public API of the capability (web and cli import only this). Code lists and
weightings are YAML files in ``codelists/`` validated by :mod:`tripleaim.phm.spec`,
each citing its source. The pure scorers (:func:`comorbidity`, :func:`hfrs`,
:func:`disability`, :func:`efi`) take long-format rows and match comorbidipy 0.8 on
normalised codes; :func:`compute_scores` computes every person's scores on DuckDB or
Spark and stores them in ``person_scores`` (see ``docs/methods/phm-scores.md``).
:func:`train_risk_model` trains the risk-of-emergency-admission model and versions
its artifact; :func:`score_population` writes ``person_scores`` and, with a trained
model, ``person_risk`` (see ``docs/methods/phm-risk-model.md``).
"""

from __future__ import annotations

from tripleaim.phm.catalogue import Catalogue, catalogue
from tripleaim.phm.pipelines import ScoreOptions, code_report, person_scores
from tripleaim.phm.results import (
    PERSON_SCORES,
    CodeReport,
    ScoreSummary,
    SourceCodes,
)
from tripleaim.phm.risk.features import labelled, outcome, risk_features
from tripleaim.phm.scores import (
    ScoreInputError,
    comorbidity,
    disability,
    efi,
    hfrs,
    normalise_series,
)
from tripleaim.phm.service import (
    RiskSummary,
    TrainSummary,
    compute_scores,
    default_index_date,
    models_dir,
    score_population,
    train_risk_model,
)

__all__ = [
    "PERSON_SCORES",
    "Catalogue",
    "CodeReport",
    "RiskSummary",
    "ScoreInputError",
    "ScoreOptions",
    "ScoreSummary",
    "SourceCodes",
    "TrainSummary",
    "catalogue",
    "code_report",
    "comorbidity",
    "compute_scores",
    "default_index_date",
    "disability",
    "efi",
    "hfrs",
    "labelled",
    "models_dir",
    "normalise_series",
    "outcome",
    "person_scores",
    "risk_features",
    "score_population",
    "train_risk_model",
]
