"""The warehouse's own bookkeeping: loads, quarantine and build facts."""

from __future__ import annotations

from tripleaim.warehouse.schema.model import Column, Table

LOAD_BATCHES = Table(
    name="load_batches",
    group="metadata",
    description="One row per file loaded: what, when, how many rows kept and quarantined.",
    primary_key=("batch_id",),
    columns=(
        Column("batch_id", "int", "Load batch identifier.", minimum=1),
        Column("table_name", "string", "Target table."),
        Column("file_name", "string", "File name as given."),
        Column(
            "content_sha256",
            "string",
            "SHA-256 of the file's bytes; a file with the same hash is not loaded twice.",
        ),
        Column("loaded_at", "timestamp", "When the load committed (UTC)."),
        Column("rows_read", "int", "Data rows in the file.", minimum=0),
        Column("rows_loaded", "int", "Rows written to the table.", minimum=0),
        Column("rows_quarantined", "int", "Rows held in quarantine.", minimum=0),
    ),
)

QUARANTINE = Table(
    name="quarantine",
    group="metadata",
    description="Rejected rows: one row per problem found, with the whole original row kept.",
    primary_key=("batch_id", "row_number", "column_name", "reason"),
    columns=(
        Column(
            "batch_id",
            "int",
            "Load batch the row came from.",
            references=("load_batches", "batch_id"),
        ),
        Column("table_name", "string", "Target table."),
        Column("file_name", "string", "File the row came from."),
        Column(
            "row_number",
            "int",
            "Data row number in the file (1 = first row after the header).",
        ),
        Column(
            "column_name",
            "string",
            "Column at fault ('*' for a whole-row problem such as a duplicate key).",
        ),
        Column("value", "string", "The offending value as read.", nullable=True),
        Column(
            "reason", "string", "What is wrong, in words a data manager can act on."
        ),
        Column(
            "original_row",
            "string",
            "The whole row as read, as JSON, so nothing is lost.",
        ),
    ),
)

BUILD_FACTS = Table(
    name="build_facts",
    group="metadata",
    description="Facts about how the warehouse was built (footprint, seed, scale, period).",
    primary_key=("key",),
    columns=(
        Column("key", "string", "Fact name."),
        Column("value", "string", "Fact value."),
    ),
)

TABLES = (LOAD_BATCHES, QUARANTINE, BUILD_FACTS)
