"""Transformation delivery: programmes, projects, KPIs with SPC, savings, the financial gap and board reports."""
