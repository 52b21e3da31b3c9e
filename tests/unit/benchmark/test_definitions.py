"""Every shipped benchmark definition validates; a bad one fails naming file and field."""

from __future__ import annotations

from importlib.resources import files

import pytest

from tripleaim.benchmark.catalogue import measures, parse, peer_groups, tariff
from tripleaim.benchmark.spec import MeasureSpec, PeerGroupSpec
from tripleaim.errors import DefinitionError

FOLDER = files("tripleaim.benchmark").joinpath("definitions")
MEASURE_FILES = sorted(f.name for f in FOLDER.joinpath("measures").iterdir())
PEER_FILES = sorted(f.name for f in FOLDER.joinpath("peer_groups").iterdir())


@pytest.mark.parametrize("name", MEASURE_FILES)
def test_each_measure_file_is_valid(name):
    text = FOLDER.joinpath("measures", name).read_text(encoding="utf-8")
    spec = parse(name, text, MeasureSpec)
    if spec.cost is not None and spec.cost.source == "tariff":
        assert spec.cost.key in tariff(), f"{name}: tariff has no {spec.cost.key}"


@pytest.mark.parametrize("name", PEER_FILES)
def test_each_peer_group_file_is_valid(name):
    text = FOLDER.joinpath("peer_groups", name).read_text(encoding="utf-8")
    assert parse(name, text, PeerGroupSpec).peers >= 1


def test_every_level_has_a_peer_group():
    levels = {group.level for group in peer_groups().values()}
    needed = {level for spec in measures().values() for level in spec.levels}
    assert needed <= levels


def test_lap_chole_carries_the_verified_bads_target():
    spec = measures()["day_case_rate_lap_chole"]
    assert spec.target == 75.0 and "verified" in (spec.target_source or "")


def test_a_filter_the_table_lacks_is_refused_with_its_path():
    text = (
        FOLDER.joinpath("measures", "ae_attendances.yaml")
        .read_text(encoding="utf-8")
        .replace("table: ae_attendances", "table: ae_attendances\n  day_case: true")
    )
    with pytest.raises(
        DefinitionError, match=r"ae_attendances.yaml: numerator.*day_case"
    ):
        parse("ae_attendances.yaml", text, MeasureSpec)


def test_a_national_measure_name_is_checked():
    text = (
        FOLDER.joinpath("measures", "national_emergency_admissions.yaml")
        .read_text(encoding="utf-8")
        .replace("- emergency_admissions", "- emergency_visits")
    )
    with pytest.raises(
        DefinitionError, match="'emergency_visits' is not a national_activity measure"
    ):
        parse("national_emergency_admissions.yaml", text, MeasureSpec)


def test_isr_needs_a_population_denominator():
    text = FOLDER.joinpath("measures", "follow_up_ratio.yaml").read_text(
        encoding="utf-8"
    )
    with pytest.raises(
        DefinitionError, match="denominator: isr standardises against population"
    ):
        parse(
            "follow_up_ratio.yaml",
            text.replace("method: ratio", "method: isr"),
            MeasureSpec,
        )


def test_the_id_must_be_the_file_name():
    text = FOLDER.joinpath("peer_groups", "similar_10_pcn.yaml").read_text(
        encoding="utf-8"
    )
    with pytest.raises(DefinitionError, match="must be the file name"):
        parse("other.yaml", text, PeerGroupSpec)


def test_an_unknown_peer_variable_is_refused():
    text = FOLDER.joinpath("peer_groups", "similar_10_pcn.yaml").read_text(
        encoding="utf-8"
    )
    with pytest.raises(DefinitionError, match="'rurality' is not a peer variable"):
        parse(
            "similar_10_pcn.yaml",
            text.replace("name: imd_score", "name: rurality"),
            PeerGroupSpec,
        )
