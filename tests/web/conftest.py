"""The real app on real stores: SQLite (a file) and PostgreSQL (a fresh database per run).

A session fixture builds a tiny synthetic warehouse (scale 0.003) and a migrated store
with one demo account per role on each backend; a function fixture hands each test a
clean copy (SQLite: a copy of the template file; PostgreSQL: the session database with
every table but ``users`` truncated, and users other than the demo accounts deleted).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from fastapi import FastAPI
from psycopg import sql
from sqlalchemy import text

from tests.conftest import SHARED
from tests.web.support import Client, login
from tripleaim import warehouse
from tripleaim.access.demo import demo_accounts, ensure_demo_users
from tripleaim.benchmark import compute as compute_benchmarks
from tripleaim.delivery import load_demo
from tripleaim.indicators.service import compute_profiles
from tripleaim.phm import score_population, train_risk_model
from tripleaim.phm.segmenting import segment_population
from tripleaim.settings import Settings
from tripleaim.warehouse.store import migrate, open_store
from tripleaim.web import create_app

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
PG_HOST = os.environ.get("PGHOST", "127.0.0.1")
PG_PORT = os.environ.get("PGPORT", "5432")
PG_USER = os.environ.get("PGUSER", "postgres")
PG_ADMIN = f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname=postgres"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
CLEAN = (
    "TRUNCATE user_sessions, api_tokens, login_attempts, audit_events RESTART IDENTITY"
)


@dataclass(frozen=True)
class Footprint:
    """The tiny warehouse and the organisations and people the tests use."""

    settings: Settings
    icb_code: str
    practice_code: (
        str  # the demo direct-care accounts' practice: the one with most people
    )
    person_id: int  # registered at practice_code
    other_practice_code: str
    other_person_id: int  # registered at other_practice_code
    place_code: str  # a place of the footprint (the practice's)
    other_place_code: str  # another place

    def url(self, path: str) -> str:
        """``path`` with its parameters filled by real objects of the footprint."""
        return path.format(
            person_id=self.person_id,
            indicator_id="emergency_admissions_dsr",
            level="place",
            code=self.place_code,
            area_code=self.place_code,
            fmt="xlsx",
            cohort_id="top_2_percent_risk",
            slug="cancer_62_day",  # a demo programme project
            month="2018-03",  # the demo programme's open period
        )

    def accounts(self) -> dict[str, dict[str, str]]:
        """The demo account (username, password, org_code, ...) of each role."""
        return {a["role"]: a for a in demo_accounts(self.icb_code, self.practice_code)}


@pytest.fixture(scope="session")
def footprint(tmp_path_factory: pytest.TempPathFactory) -> Footprint:
    """A synthetic footprint of about 2,500 people with indicator profiles, scores, a trained risk model, risk and segments, built once (about 15 s)."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("warehouse"),
        shared_dir=SHARED,
        environment="test",
        scale=0.003,
        seed=5,
    )
    warehouse.generate(settings)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        (icb,) = con.execute(
            "SELECT org_code FROM organisations WHERE org_type = 'icb'"
        ).fetchone()
        busiest = con.execute(
            "SELECT practice_code, min(person_id) FROM persons GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2"
        ).fetchall()
        (practice, person), (other_practice, other_person) = busiest
        places = [
            code
            for (code,) in con.execute(
                "SELECT org_code FROM organisations WHERE org_type = 'place' "
                "ORDER BY org_code = (SELECT place_code FROM organisations WHERE org_code = ?) DESC, org_code",
                [practice],
            ).fetchall()
        ]
    finally:
        con.close()
    compute_profiles(settings)
    train_risk_model(settings)
    score_population(settings)
    segment_population(settings)
    compute_benchmarks(settings)
    return Footprint(
        settings,
        icb,
        practice,
        person,
        other_practice,
        other_person,
        places[0],
        places[1],
    )


class PostgresServer:
    """Creates databases on the local server and drops them all at the end of the run."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def create_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy URL."""
        name = f"tripleaim_test_{secrets.token_hex(6)}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as con:
            con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.names.append(name)
        return f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"

    def drop_all(self) -> None:
        """Drop every database this server object created."""
        with psycopg.connect(PG_ADMIN, autocommit=True) as con:
            for name in self.names:
                con.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(name)
                    )
                )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The local PostgreSQL server (``make system`` starts one); fails clearly when absent."""
    try:
        psycopg.connect(PG_ADMIN, connect_timeout=5).close()
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"No PostgreSQL server at {PG_HOST}:{PG_PORT} ({exc}). Run `make system`, "
            "or deselect these tests with -m 'not postgres'."
        )
    server = PostgresServer()
    yield server
    server.drop_all()


def prepare_store(settings: Settings, footprint: Footprint) -> None:
    """Migrate the store, create the demo accounts and load the demo programme."""
    migrate(settings)
    store = open_store(settings)
    try:
        with store.session() as session:
            ensure_demo_users(session, footprint.icb_code, footprint.practice_code)
            load_demo(session)
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as con:
                con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.dispose()


def app_settings(footprint: Footprint, database_url: str, **overrides: Any) -> Settings:
    """Settings for an app on the footprint's warehouse and the given store."""
    return footprint.settings.model_copy(
        update={
            "database_url": database_url,
            "node_modules_dir": NODE_MODULES,
            **overrides,
        }
    )


@pytest.fixture(scope="session")
def sqlite_template(
    footprint: Footprint, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A migrated SQLite store holding the demo accounts, copied for each test."""
    path = tmp_path_factory.mktemp("store") / "template.sqlite"
    prepare_store(app_settings(footprint, f"sqlite:///{path}"), footprint)
    return path


@pytest.fixture(scope="session")
def postgres_url(footprint: Footprint, postgres_server: PostgresServer) -> str:
    """The run's PostgreSQL store: migrated, holding the demo accounts."""
    url = postgres_server.create_database()
    prepare_store(app_settings(footprint, url), footprint)
    return url


def fresh_store_url(request: pytest.FixtureRequest, footprint: Footprint) -> str:
    """A clean store with only the demo accounts, on the requested backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        tmp: Path = request.getfixturevalue("tmp_path")
        shutil.copyfile(template, tmp / "store.sqlite")
        return f"sqlite:///{tmp / 'store.sqlite'}"
    url: str = request.getfixturevalue("postgres_url")
    demo = [a["username"] for a in footprint.accounts().values()]
    store = open_store(app_settings(footprint, url))
    try:
        with store.session() as session:
            session.execute(text(CLEAN))
            session.execute(
                text("DELETE FROM users WHERE NOT (username = ANY(:demo))"),
                {"demo": demo},
            )
    finally:
        store.dispose()
    return url


MakeApp = Callable[..., FastAPI]


@pytest.fixture(params=BACKENDS)
def make_app(request: pytest.FixtureRequest, footprint: Footprint) -> Iterator[MakeApp]:
    """Build ``create_app`` on a clean store of each backend, with optional setting overrides."""
    url = fresh_store_url(request, footprint)
    apps: list[FastAPI] = []

    def make(**overrides: Any) -> FastAPI:
        app = create_app(app_settings(footprint, url, **overrides))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.store.dispose()


@pytest.fixture
def app(make_app: MakeApp) -> FastAPI:
    """The app with default settings, on each backend."""
    return make_app()


@pytest.fixture
def backend(app: FastAPI) -> str:
    """The store's dialect: ``sqlite`` or ``postgresql``."""
    name: str = app.state.store.engine.dialect.name
    return name


@pytest.fixture
def clients() -> Iterator[Callable[..., Client]]:
    """Make clients of an app (closed at the end of the test)."""
    made: list[Client] = []

    def make(app: FastAPI, **kwargs: Any) -> Client:
        client = Client(app, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(app: FastAPI, clients: Callable[..., Client]) -> Client:
    """An anonymous client of ``app``."""
    return clients(app)


@pytest.fixture
def accounts(footprint: Footprint) -> dict[str, dict[str, str]]:
    """The demo account of each role."""
    return footprint.accounts()


@pytest.fixture
def signed_in(
    app: FastAPI, clients: Callable[..., Client], accounts: dict[str, dict[str, str]]
) -> Callable[[str], Client]:
    """A client signed in as the demo account of a role."""

    def sign_in(role: str) -> Client:
        account = accounts[role]
        return login(clients(app), account["username"], account["password"])

    return sign_in
