"""Browser tests: `tripleaim serve` driven by headless Chromium, every page checked with axe.

One small footprint and the demo accounts are built once per session in a temporary
data directory; the server runs as a subprocess on a free port. Each test gets a fresh
browser context (no cookies shared between tests) and a ``site`` helper whose every
navigation ends with an axe-core check, so no page a test visits goes unchecked: the
``page`` fixture also records every main-frame navigation and fails the test if one
was not checked.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Response,
    sync_playwright,
)

from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
CLI = Path(sys.executable).with_name("tripleaim")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCALE, SEED = "0.003", "5"
STARTUP_SECONDS = 60


def password_for(username: str) -> str:
    """The demo password `tripleaim users demo` gives an account (access/demo.py)."""
    return username.replace(".", "-") + "-demo-2026"


@dataclass(frozen=True)
class Server:
    """The running app and what the tests need to know about its data."""

    base_url: str
    data_dir: Path
    footprint_name: str
    log: Path


def _env(data_dir: Path) -> dict[str, str]:
    """An explicit environment: nothing from the caller's TRIPLEAIM_* leaks in."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(data_dir),
        "LANG": "C.UTF-8",
        "COLUMNS": "200",
        "TRIPLEAIM_ENVIRONMENT": "test",
        "TRIPLEAIM_DATA_DIR": str(data_dir),
        "TRIPLEAIM_SHARED_DIR": str(SHARED),
        "TRIPLEAIM_NODE_MODULES_DIR": str(NODE_MODULES),
    }


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(CLI), *args],
        env=env,
        cwd=env["TRIPLEAIM_DATA_DIR"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (
        f"tripleaim {' '.join(args)} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


def _compute_profiles(env: dict[str, str]) -> None:
    """Indicator profiles for the indicator pages, computed in the same environment."""
    code = (
        "from tripleaim.indicators.service import compute_profiles; "
        "from tripleaim.settings import Settings; compute_profiles(Settings())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=env["TRIPLEAIM_DATA_DIR"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (
        f"computing profiles failed\n{done.stdout}\n{done.stderr}"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"tripleaim serve exited {process.returncode}:\n{log.read_text()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  (our own http://127.0.0.1 URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer in {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A small footprint with the demo accounts, served on a free port."""
    data_dir = tmp_path_factory.mktemp("browser-var")
    env = _env(data_dir)
    _cli(env, "generate", "--scale", SCALE, "--seed", SEED)
    _compute_profiles(env)
    for step in ("train", "score", "segment"):
        _cli(env, "phm", step)
    accounts = _cli(env, "users", "demo")
    _cli(env, "delivery", "demo")
    assert "administrator" in accounts, accounts
    facts = json.loads(_cli(env, "info", "--json"))["facts"]
    port = _free_port()
    log = data_dir / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CLI), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=data_dir,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(process, f"{base_url}/health", log)
        yield Server(base_url, data_dir, facts["footprint_name"], log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium (Playwright's own browsers are not installed).

    Module-scoped: Playwright's sync API keeps an event loop running in this thread
    while it is open, which would stop later tests from running their own loops.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is not installed: run `make system` (scripts/setup-system.sh)"
        )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    """A fresh context per test: no cookies or storage carried between tests.

    axe-core is added as an init script (evaluated by the browser's debugging protocol),
    so the app's Content-Security-Policy stays on and any CSP breakage shows in the tests.
    """
    ctx = browser.new_context(
        base_url=server.base_url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
    )
    ctx.add_init_script(path=str(AXE))
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(map(str, node["target"])) for node in v["nodes"]]
        lines.append(
            f"- {v['id']} ({v['impact']}): {v['help']}\n    targets: {targets}"
        )
    return "\n".join(lines)


def check_accessibility(page: Page) -> None:
    """Run axe-core's WCAG 2.2 AA rules on the page; fail listing each violation."""
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        AXE_TAGS,
    )
    violations = result["violations"]
    assert not violations, (
        f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n"
        + _describe(violations)
    )


@dataclass
class _Navigations:
    """Main-frame documents a page showed, and which of them axe checked."""

    urls: list[str] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)

    def record(self, url: str) -> None:
        if url != "about:blank":
            self.urls.append(url)

    def mark_checked(self) -> None:
        if self.urls:
            self.checked.add(len(self.urls) - 1)

    def last_checked(self) -> bool:
        return not self.urls or len(self.urls) - 1 in self.checked

    def unchecked(self) -> list[str]:
        return [u for i, u in enumerate(self.urls) if i not in self.checked]


class Site:
    """What a person does in the app; every page reached is checked with axe."""

    def __init__(self, page: Page, server: Server) -> None:
        self.page = page
        self.server = server
        self.navigations = _Navigations()
        page.on(
            "framenavigated",
            lambda frame: (
                self.navigations.record(frame.url) if frame == page.main_frame else None
            ),
        )

    def check(self) -> Page:
        """Check the current page with axe and record that it was checked."""
        self.page.wait_for_load_state("load")
        check_accessibility(self.page)
        self.navigations.mark_checked()
        return self.page

    def goto(self, path: str) -> Response:
        """Open a path (following any redirect), check the page it lands on.

        Returns the response of the document the browser ended on.
        """
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        self.check()
        return response

    def follow(self, link: str) -> Page:
        """Follow a link in the header's menu and check the page it leads to."""
        menu = self.page.get_by_role("navigation", name="Menu")
        with self.page.expect_navigation():
            menu.get_by_role("link", name=link, exact=True).click()
        return self.check()

    def menu(self) -> list[str]:
        """The header menu's links, as shown to this person."""
        menu = self.page.get_by_role("navigation", name="Menu")
        return [t.strip() for t in menu.get_by_role("link").all_inner_texts()]

    def submit(self, button: str) -> Page:
        """Press a form's button, wait for the page it leads to and check it."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        return self.check()

    def sign_in(self, username: str, password: str | None = None) -> Page:
        """Sign in on the sign-in page (demo password unless one is given)."""
        self.goto("/login")
        self.page.locator("#username").fill(username)
        self.page.locator("#password").fill(
            password_for(username) if password is None else password
        )
        return self.submit("Sign in")

    def sign_out(self) -> Page:
        """Press the header's Sign out button."""
        return self.submit("Sign out")


@pytest.fixture
def site(context: BrowserContext, server: Server) -> Iterator[Site]:
    """The app in a fresh browser context, as one person uses it.

    At teardown the page the test ended on is checked if it was not, and the test
    fails if any page it visited was never checked with axe.
    """
    visit = Site(context.new_page(), server)
    yield visit
    if not visit.navigations.last_checked():
        visit.check()
    missed = visit.navigations.unchecked()
    assert not missed, f"pages visited without an accessibility check: {missed}"


@pytest.fixture
def page(site: Site) -> Page:
    """The tab the ``site`` helper drives."""
    return site.page
