"""Browser tests: Playwright drives the system's Chromium (never a downloaded one) against the live server."""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE") or shutil.which("chromium")
    if not executable:
        pytest.skip("No Chromium: install Debian's chromium or set PLAYWRIGHT_CHROMIUM_EXECUTABLE.")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The browser asks for Kazakh, as most users' browsers here do (Accept-Language: kk-KZ).
    return {**browser_context_args, "locale": "kk-KZ"}


@pytest.fixture(scope="session")
def base_url(live_server):
    # Replaces pytest-playwright's fallback fixture (an instance method, which pytest 9 warns about):
    # pages open paths relative to the live server.
    return live_server.url
