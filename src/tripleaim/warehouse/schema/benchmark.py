"""Tables of the benchmarking capability: peer groups and opportunities (tripleaim.benchmark).

Both are derived: ``tripleaim benchmark compute`` writes them whole from the national
comparator tables and the footprint's activity (docs/methods/benchmarking.md).
"""

from __future__ import annotations

from tripleaim.warehouse.schema.model import Column, Table

PEER_LEVELS = ("utla", "sub_icb", "pcn", "practice")
"""Levels peers are found at: national (upper-tier authority, sub-ICB) and footprint."""

OPPORTUNITY_FLAGS = ("ok", "no_peers", "too_few_events", "missing_cost", "no_value")
"""Why an opportunity row is incomplete; ``ok`` when nothing is missing."""

BENCHMARK_PEERS = Table(
    name="benchmark_peers",
    group="derived",
    description=(
        "For every area of a peer level, its most similar areas by the peer group's "
        "weighted distance (RightCare 'similar 10' for upper-tier authorities and sub-ICB "
        "locations; list size, age and deprivation for practices and PCNs), with the "
        "distance and rank (tripleaim.benchmark; docs/methods/benchmarking.md)."
    ),
    primary_key=("peer_group", "area_code", "peer_code"),
    columns=(
        Column("peer_group", "string", "Peer group definition id (benchmark)."),
        Column("area_level", "string", "Level of the areas.", allowed=PEER_LEVELS),
        Column("area_code", "string", "The area whose peers these are."),
        Column("peer_code", "string", "One of its peers."),
        Column("rank", "int", "1 = most similar.", minimum=1),
        Column("distance", "float", "Weighted squared distance.", minimum=0),
    ),
)

BENCHMARK_OPPORTUNITIES = Table(
    name="benchmark_opportunities",
    group="derived",
    description=(
        "Every benchmark measure for every area of its level and financial year: value "
        "with 95% limits, the peer average, Best-5 and top-quartile benchmarks with their "
        "own limits, and the opportunity in activity, bed days and pounds against each, "
        "counted only when significant in the favourable direction (tripleaim.benchmark)."
    ),
    primary_key=("measure_id", "area_code", "period"),
    columns=(
        Column("measure_id", "string", "Measure definition id (benchmark)."),
        Column("area_level", "string", "Level of the area.", allowed=PEER_LEVELS),
        Column("area_code", "string", "Area code (GSS or ODS)."),
        Column("period", "string", "Financial year, e.g. 2023/24."),
        Column("peer_group", "string", "Peer group the area is compared within."),
        Column("numerator", "float", "Events, bed days or pounds.", minimum=0),
        Column("denominator", "float", "Population, expected count or spells."),
        Column("value", "float", "Measure value.", nullable=True),
        Column("lower_95", "float", "Lower 95% limit of the value.", nullable=True),
        Column("upper_95", "float", "Upper 95% limit of the value.", nullable=True),
        Column("peers", "int", "Peers with a value.", minimum=0),
        Column("peer_mean", "float", "Mean of the peers' values.", nullable=True),
        Column("best5_mean", "float", "Mean of the best 5 peers.", nullable=True),
        Column(
            "best5_lower_95",
            "float",
            "Lower 95% limit of the Best-5 mean.",
            nullable=True,
        ),
        Column(
            "best5_upper_95",
            "float",
            "Upper 95% limit of the Best-5 mean.",
            nullable=True,
        ),
        Column(
            "top_quartile", "float", "Top-quartile value of the peers.", nullable=True
        ),
        Column("target", "float", "Target from the definition (BADS).", nullable=True),
        Column(
            "gap_peer_mean", "float", "Activity gap to the peer mean.", nullable=True
        ),
        Column("gap_best5", "float", "Activity gap to the Best-5 mean.", nullable=True),
        Column(
            "gap_top_quartile",
            "float",
            "Activity gap to the top quartile.",
            nullable=True,
        ),
        Column(
            "gap_best5_lower", "float", "Gap to Best 5: lower 95% limit.", nullable=True
        ),
        Column(
            "gap_best5_upper", "float", "Gap to Best 5: upper 95% limit.", nullable=True
        ),
        Column("gap_target", "float", "Activity gap to the target.", nullable=True),
        Column("bed_days_best5", "float", "Bed days of the Best-5 gap.", nullable=True),
        Column(
            "bed_days_target", "float", "Bed days of the target gap.", nullable=True
        ),
        Column("gbp_peer_mean", "float", "Pounds of the peer-mean gap.", nullable=True),
        Column("gbp_best5", "float", "Pounds of the Best-5 gap.", nullable=True),
        Column(
            "gbp_top_quartile",
            "float",
            "Pounds of the top-quartile gap.",
            nullable=True,
        ),
        Column(
            "significant_naive",
            "bool",
            "Best-5 gap significant when only the area's interval is used (RightCare).",
        ),
        Column(
            "significant",
            "bool",
            "Best-5 gap significant with the benchmark's own interval too.",
        ),
        Column(
            "opportunity_events", "float", "Counted opportunity (events).", minimum=0
        ),
        Column(
            "opportunity_bed_days",
            "float",
            "Counted opportunity (bed days).",
            minimum=0,
        ),
        Column("opportunity_gbp", "float", "Counted opportunity (pounds).", minimum=0),
        Column("flag", "string", "Why a part is missing.", allowed=OPPORTUNITY_FLAGS),
        Column("flag_detail", "string", "The flag in words.", nullable=True),
    ),
)

TABLES = (BENCHMARK_PEERS, BENCHMARK_OPPORTUNITIES)
