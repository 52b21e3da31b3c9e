"""The risk-of-emergency-admission model: features, models, metrics, artifacts.

Reached through :mod:`tripleaim.phm` (``train_risk_model``, ``score_population``);
see ``docs/methods/phm-risk-model.md``.
"""
