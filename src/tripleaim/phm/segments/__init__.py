"""Segmentation: Bridges to Health rules as data, compiled to Ibis (segments.yaml)."""
