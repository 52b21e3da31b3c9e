"""The demo programme: the brief's workstreams and figures, deterministic, loaded once."""

from __future__ import annotations

from sqlalchemy import func, select

from tripleaim.delivery import (
    KpiValue,
    Project,
    SavingsLine,
    financial_plans,
    load_demo,
    programme_overview,
)
from tripleaim.warehouse.store import Store


def test_loading_twice_adds_nothing_the_second_time(store: Store) -> None:
    with store.session() as session:
        before = session.scalar(select(func.count()).select_from(KpiValue))
        again = load_demo(session)
        after = session.scalar(select(func.count()).select_from(KpiValue))
    assert not again.created
    assert before == after
    assert again.projects == 20


def test_the_commissioners_gap_in_2020_21_is_the_briefs_84m(store: Store) -> None:
    with store.session() as session:
        plans = [
            p
            for p in financial_plans(session)
            if p.financial_year == "2020/21" and p.organisation_kind == "commissioner"
        ]
    available = sum(p.resources_available for p in plans)
    required = sum(p.spending_requirement for p in plans)
    assert round(available / 1e6, 3) == 1.327  # £k -> £bn
    assert round(required / 1e6, 3) == 1.412
    assert round((required - available) / 1e3) == 84


def test_medicines_optimisation_plans_13_8m_of_which_over_4m_beyond_existing_plans(
    store: Store,
) -> None:
    with store.session() as session:
        lines = session.scalars(
            select(SavingsLine)
            .join(Project, Project.id == SavingsLine.project_id)
            .where(Project.slug == "medicines_optimisation")
        ).all()
    assert round(sum(line.plan_total for line in lines)) == 13800
    new = sum(
        line.plan_total for line in lines if line.scheme != "Existing prescribing plans"
    )
    assert new > 4000


def test_the_overview_has_clinical_and_enabling_workstreams_and_projects_off_track(
    store: Store,
) -> None:
    with store.session() as session:
        view = programme_overview(session)
        kinds = {w["workstream"].kind for w in view["workstreams"]}
        rags = {code: count for code, _, count in view["rag_counts"]}
        titles = [w["workstream"].title for w in view["workstreams"]]
        assert view["period"].month == "2018-03"
    assert kinds == {"clinical", "enabling"}
    assert "Urgent and emergency care" in titles
    assert "Clinical support services" in titles
    assert rags["red"] >= 2
    assert sum(rags.values()) == 20


def test_two_loads_give_the_same_history(store: Store, tmp_path) -> None:
    from tripleaim.settings import Settings
    from tripleaim.warehouse.store import migrate, open_store

    other_settings = Settings(data_dir=tmp_path / "other", environment="test")
    migrate(other_settings)
    other = open_store(other_settings)
    query = select(KpiValue.month, KpiValue.trajectory, KpiValue.actual).order_by(
        KpiValue.kpi_id, KpiValue.month
    )
    try:
        with other.session() as session:
            load_demo(session)
            theirs = session.execute(query).all()
        with store.session() as session:
            ours = session.execute(query).all()
    finally:
        other.dispose()
    assert ours == theirs
    assert len(ours) > 500
