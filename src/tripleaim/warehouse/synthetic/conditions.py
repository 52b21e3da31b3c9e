"""Long-term conditions: prevalence graded by age, sex and deprivation, calibrated per practice.

For each condition the log-odds of having it are an age, sex, deprivation and latent-health
term (``data/conditions.yaml``) plus a practice intercept solved so each practice's expected
register equals its real QOF 2021-22 crude prevalence times its list size. The shared
latent term makes conditions cluster, as multimorbidity does.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict

from tripleaim.warehouse.synthetic.calendar import END, NO_DATE, age_in_years
from tripleaim.warehouse.synthetic.opendata import PACKAGE_DATA
from tripleaim.warehouse.synthetic.people import People
from tripleaim.warehouse.synthetic.rates import deprivation_factor


class ConditionSpec(BaseModel):
    """One condition's codes and prevalence model."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    snomed: str
    icd10: str
    qof: str | None = None
    national_prevalence: float | None = None
    min_age: int
    age_slope: float
    male: float
    deprivation_ratio: float
    latent: float


@functools.cache
def condition_specs() -> dict[str, ConditionSpec]:
    """Every generated condition, in file order."""
    raw = yaml.safe_load(
        Path(str(PACKAGE_DATA / "conditions.yaml")).read_text(encoding="utf-8")
    )
    return {key: ConditionSpec(**value) for key, value in raw.items()}


@dataclass(frozen=True)
class Conditions:
    """``has[i, c]`` says person ``i`` has condition ``c``; ``diagnosed[i, c]`` is the day."""

    names: tuple[str, ...]
    has: npt.NDArray[np.bool_]
    diagnosed: npt.NDArray[np.int64]

    @property
    def count(self) -> npt.NDArray[np.int64]:
        """Number of long-term conditions per person at the end of the period."""
        return np.asarray(self.has.sum(axis=1), dtype=np.int64)

    def count_at(self, day: int) -> npt.NDArray[np.int64]:
        """Conditions diagnosed by ``day`` per person."""
        return np.asarray(
            (self.has & (self.diagnosed <= day)).sum(axis=1), dtype=np.int64
        )


def _solve_intercepts(
    eta: npt.NDArray[np.float64],
    group: npt.NDArray[np.int64],
    target: npt.NDArray[np.float64],
    eligible: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float64]:
    """Per-group intercepts so that sum(sigmoid(a_g + eta)) over eligible people = target_g (Newton)."""
    n_groups = target.shape[0]
    a = np.full(n_groups, -3.0)
    w = eligible.astype(np.float64)
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-(a[group] + eta)))
        f = np.bincount(group, weights=p * w, minlength=n_groups) - target
        g = np.bincount(group, weights=p * (1 - p) * w, minlength=n_groups)
        step = np.where(g > 1e-9, f / np.maximum(g, 1e-9), 0.0)
        a = np.clip(a - np.clip(step, -2, 2), -20, 10)
        if np.max(np.abs(f)) < 0.5:
            break
    return a


def generate_conditions(
    rng: np.random.Generator,
    people: People,
    practice_codes: list[str],
    qof: pd.DataFrame,
) -> Conditions:
    """Draw each person's conditions and first-diagnosis dates."""
    specs = condition_specs()
    n = len(people)
    age_end = age_in_years(people.dob, END)
    male = people.sex.astype(np.float64)
    qof = qof.set_index("practice_code").reindex(practice_codes)
    list_size = np.bincount(people.practice, minlength=len(practice_codes)).astype(
        np.float64
    )
    has = np.zeros((n, len(specs)), dtype=bool)
    diagnosed = np.full((n, len(specs)), NO_DATE, dtype=np.int64)
    for j, spec in enumerate(specs.values()):
        eligible = age_end >= spec.min_age
        eta = (
            spec.age_slope * (age_end - 50) / 10.0
            + spec.male * male
            + np.log(deprivation_factor(people.imd_decile, spec.deprivation_ratio))
            + spec.latent * people.latent
        )
        if spec.qof is not None:
            practice_prevalence = qof[f"{spec.qof}_prevalence"].astype(float)
            national = float(np.nanmedian(practice_prevalence.to_numpy()))
            prevalence = (
                practice_prevalence.fillna(national).clip(lower=0, upper=0.6).to_numpy()
            )
            target: npt.NDArray[np.float64] = np.asarray(
                prevalence * list_size, dtype=np.float64
            )
            intercept = _solve_intercepts(eta, people.practice, target, eligible)[
                people.practice
            ]
        else:
            assert spec.national_prevalence is not None  # noqa: S101  (validated file: one of the two is set)
            target = np.array([spec.national_prevalence * n])
            intercept = _solve_intercepts(
                eta, np.zeros(n, dtype=np.int64), target, eligible
            )[0]
        p = np.where(eligible, 1.0 / (1.0 + np.exp(-(intercept + eta))), 0.0)
        has[:, j] = rng.random(n) < p
        # Diagnosis: years before the period end, exponential (mean 8 years), not before min_age.
        onset_floor = people.dob + int(spec.min_age * 365.25)
        back = np.floor(rng.exponential(8.0 * 365.25, n)).astype(np.int64)
        when = np.maximum(END - back, np.maximum(onset_floor, people.dob))
        diagnosed[:, j] = np.where(has[:, j], np.minimum(when, END), NO_DATE)
    return Conditions(names=tuple(specs), has=has, diagnosed=diagnosed)
