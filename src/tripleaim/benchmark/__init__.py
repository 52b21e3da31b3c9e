"""Benchmarking and opportunity: peer groups, measures and RightCare-style opportunity packs."""
