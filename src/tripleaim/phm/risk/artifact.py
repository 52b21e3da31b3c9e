"""Versioned model artifacts on disk: save, find the current one, load.

A trained model lives in ``<models_dir>/risk-<version>/``: ``model.joblib`` (the
fitted estimator and its explainer), ``metrics.json``, ``calibration.svg`` and
``model-card.md``. The version is the training index date and the first ten hex
digits of a SHA-256 over the metrics and hold-out predictions, so retraining on the
same warehouse with the same seed gives the same version, and any change in data,
features or code that moves a prediction gives a new one. ``risk-current.txt``
names the version ``tripleaim phm score`` uses: the last one trained.

``model.joblib`` is a pickle: load only artifacts this installation wrote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib

from tripleaim.errors import NotFoundError
from tripleaim.phm.risk.models import Explainer
from tripleaim.phm.risk.training import Trained

CURRENT = "risk-current.txt"
MODEL_FILE = "model.joblib"
METRICS_FILE = "metrics.json"
CHART_FILE = "calibration.svg"
CARD_FILE = "model-card.md"


@dataclass(frozen=True)
class Artifact:
    """A loaded model: its version, kind, estimator, explainer and metrics."""

    path: Path
    version: str
    kind: str
    model: Any
    explainer: Explainer
    metrics: dict[str, Any]


def save(trained: Trained, models_dir: Path, chart_svg: str, card: str) -> Path:
    """Write the artifact directory and point ``risk-current.txt`` at it."""
    target = models_dir / f"risk-{trained.version}"
    target.mkdir(parents=True, exist_ok=True)
    joblib.dump(
        {
            "version": trained.version,
            "kind": trained.kind,
            "model": trained.model,
            "explainer": trained.explainer,
        },
        target / MODEL_FILE,
    )
    (target / METRICS_FILE).write_text(
        json.dumps(
            {"version": trained.version, **trained.metrics}, indent=2, sort_keys=True
        )
        + "\n",
        encoding="utf-8",
    )
    (target / CHART_FILE).write_text(chart_svg, encoding="utf-8")
    (target / CARD_FILE).write_text(card, encoding="utf-8")
    (models_dir / CURRENT).write_text(target.name + "\n", encoding="utf-8")
    return target


def current(models_dir: Path) -> Path:
    """The artifact directory ``risk-current.txt`` names.

    Raises:
        NotFoundError: If no model has been trained into ``models_dir``.
    """
    pointer = models_dir / CURRENT
    if not pointer.exists():
        raise NotFoundError(
            f"There is no trained risk model in {models_dir}: run `tripleaim phm "
            "train` first."
        )
    return models_dir / pointer.read_text(encoding="utf-8").strip()


def load(path: Path) -> Artifact:
    """Load the artifact in directory ``path``.

    Raises:
        NotFoundError: If ``path`` holds no model.
    """
    if not (path / MODEL_FILE).exists():
        raise NotFoundError(
            f"{path} holds no {MODEL_FILE}: give a directory `tripleaim phm train` "
            "wrote (risk-<version>)."
        )
    bundle = joblib.load(path / MODEL_FILE)
    saved = json.loads((path / METRICS_FILE).read_text(encoding="utf-8"))
    return Artifact(
        path=path,
        version=str(bundle["version"]),
        kind=str(bundle["kind"]),
        model=bundle["model"],
        explainer=bundle["explainer"],
        metrics=saved,
    )
