"""The HTML reports in a real headless Chromium, with the network cut off.

Chromium gets a dead proxy and a host resolver that resolves nothing, so any
request the page made would fail; the test checks from Chromium's own network
log that the page makes none (a page that does is caught: the negative
control), and from the DOM and a screenshot that it renders fully: tables,
text and the coloured funnel chart.

Chromium comes from the system packages (``/usr/bin/chromium``). Without it the
tests skip, unless ``MIGRATE_REQUIRE_BROWSER=1`` (as CI sets): then they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from migrate.reconcile.output import reconcile_html
from migrate.report.model import RunReport
from migrate.report.render import write_html
from tests.browser.png import colours
from tests.report.test_schema import reconcile_report

CHROMIUM = os.environ.get("MIGRATE_CHROMIUM", "/usr/bin/chromium")
RUN_SECONDS = 120  # a guard against a hung browser, not a timing assertion
OFFLINE = ["--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]
LOADED_GREEN = (0x2D, 0xA4, 0x4E)
VALID_PURPLE = (0x82, 0x50, 0xDF)
NOT_RECONCILED_RED = (0xA4, 0x0E, 0x26)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which(CHROMIUM) or shutil.which("chromium")
    if found is None:
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("MIGRATE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; MIGRATE_REQUIRE_BROWSER=1 requires it", pytrace=False)
        pytest.skip(reason)
    return found


def _browse(chromium: str, page: Path, work: Path, *task: str) -> tuple[str, list[str]]:
    """Run headless Chromium offline on ``page``; its stdout and the page's own requests."""
    netlog = work / "net.json"
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={work / 'profile'}",
        f"--log-net-log={netlog}",
        "--window-size=1280,1800",
        *OFFLINE,
        *task,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_SECONDS, cwd=work)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, _page_requests(netlog)


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page itself asked for (Chromium's own service calls have no origin)."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]["url"]
        for event in log["events"]
        if event["type"] == start
        and "url" in event.get("params", {})
        and event["params"].get("initiator") != "not an origin"
    ]


def test_the_run_report_renders_offline(chromium: str, report: RunReport, tmp_path: Path) -> None:
    page = write_html(report, tmp_path / "report.html")

    dom, requests = _browse(chromium, page, tmp_path, "--dump-dom")
    shot_dir = tmp_path / "shot"
    shot_dir.mkdir()
    _, more = _browse(chromium, page, shot_dir, f"--screenshot={shot_dir / 'page.png'}")

    assert requests == [] and more == []
    for text in ("Müller AG migration", "Findings by owner", "Duplicate clusters", "1,234,567"):
        assert text in dom, text
    assert dom.count("<table") >= 10 and "<svg" in dom
    pixels = colours(shot_dir / "page.png")
    assert pixels[LOADED_GREEN] > 1000  # funnel bars and chart: CSS and SVG applied
    assert pixels[VALID_PURPLE] > 1000
    assert pixels[NOT_RECONCILED_RED] > 50  # the status badge text


def test_the_reconcile_report_renders_offline(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "reconcile.html"
    page.write_text(reconcile_html(reconcile_report()), encoding="utf-8")
    dom, requests = _browse(chromium, page, tmp_path, "--dump-dom")
    assert requests == []
    for text in (
        "reconciliation",
        "not reconciled",
        "Count funnel",
        "keys missing from the target",
    ):
        assert text in dom, text


def test_a_page_that_reaches_out_is_caught(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "leaky.html"
    page.write_text(
        '<html><body><img src="http://example.invalid/logo.png">'
        '<link rel="stylesheet" href="https://cdn.example.invalid/site.css"></body></html>',
        encoding="utf-8",
    )
    _, requests = _browse(chromium, page, tmp_path, "--dump-dom")
    assert sorted(requests) == [
        "http://example.invalid/logo.png",
        "https://cdn.example.invalid/site.css",
    ]
