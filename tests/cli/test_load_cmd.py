"""`migrate load` and `migrate rollback` on every database: a killed load resumes, a
simulation changes nothing, refusals are listed, credentials are never shown."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import make_url

from migrate.batches.identity import target_identity
from migrate.batches.loader import PAUSE_ENV
from migrate.batches.package import read_package
from migrate.batches.state import LoadRecords
from tests.batches.helpers import count, seed, snapshot
from tests.batches.test_loader import SEEDED
from tests.batches.tiny import make_package, run_cli

WAIT_FOR_PAUSE_SECONDS = 180  # a guard against a hung child, not a timing assertion


def _records(project: Path) -> LoadRecords:
    return LoadRecords(project / "state" / "loads")


def _start_paused_load(project: Path, out: Path, url: str, pause_at: int) -> subprocess.Popen[str]:
    env = {**os.environ, PAUSE_ENV: str(pause_at), "MIGRATE_TARGET_URL": url}
    command = [sys.executable, "-c", "from migrate.cli.main import main; main()", "load"]
    command += ["--project", str(project), "--out", str(out), "--chunk-rows", "50", "--quiet"]
    return subprocess.Popen(
        command, env=env, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for_pause(process: subprocess.Popen[str]) -> None:
    """Block until the child says it paused inside a chunk (or fail if it ends first)."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    stream = process.stderr

    def read() -> None:
        for line in stream:
            lines.put(line)
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    seen = []
    while True:
        line = lines.get(timeout=WAIT_FOR_PAUSE_SECONDS)
        seen.append(line)
        if "load paused" in line:
            return
        if line == "":
            pytest.fail("the load ended before pausing: " + "".join(seen))


def test_a_killed_load_resumes_to_the_state_of_an_uninterrupted_load(
    sql_url: str, tmp_path: Path
) -> None:
    out = make_package(tmp_path / "tiny")
    project, package = tmp_path / "tiny", read_package(out)
    seed(sql_url, package, "customer", SEEDED)
    before = snapshot(sql_url, package)

    process = _start_paused_load(project, out, sql_url, pause_at=4)
    try:
        _wait_for_pause(process)
    finally:
        process.kill()
        process.wait()

    assert count(sql_url, "SELECT COUNT(*) FROM migrate_load_chunk") == 3  # the 4th was open
    target = target_identity(sql_url).id
    interrupted = _records(project).unfinished(target)
    assert interrupted is not None
    common = ("--project", str(project), "--out", str(out), "--target", sql_url, "--quiet")
    resumed = run_cli("load", *common, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert "(resumed)" in resumed.output
    after_resume = snapshot(sql_url, package)

    undone = run_cli("rollback", *common[:-1], "--batch", interrupted.batch)
    assert undone.exit_code == 0, undone.output
    assert snapshot(sql_url, package) == before
    uninterrupted = run_cli("load", *common, "--chunk-rows", "50")
    assert uninterrupted.exit_code == 0, uninterrupted.output
    assert snapshot(sql_url, package) == after_resume


def test_simulate_lists_refusals_and_a_refused_load_leaves_the_target_as_it_was(
    sql_url: str, tmp_path: Path
) -> None:
    out = make_package(tmp_path / "tiny")
    project, package = tmp_path / "tiny", read_package(out)
    seed(sql_url, package, "customer", SEEDED, check="name <> '客户 42'")
    before = snapshot(sql_url, package)
    common = ("--project", str(project), "--out", str(out), "--target", sql_url, "--quiet")

    simulated = run_cli("load", *common, "--simulate")
    assert simulated.exit_code == 4, simulated.output
    refusals = pd.read_csv(out / "report/simulation.csv", dtype=str)
    assert refusals["key"].tolist() == ["customer_id='C0042'"]
    assert snapshot(sql_url, package) == before

    loaded = run_cli("load", *common, "--chunk-rows", "20")
    assert loaded.exit_code == 4
    assert "customer_id='C0042' was refused" in loaded.output
    assert pd.read_csv(out / "report/load_refused.csv")["key"].tolist() == ["customer_id='C0042'"]
    assert snapshot(sql_url, package) == before


@pytest.mark.parametrize("sql_url", ["postgresql"], indirect=True)  # it trusts any password
def test_no_credential_is_printed_or_recorded(sql_url: str, tmp_path: Path) -> None:
    secret = "s3cr3t-Pw"
    url = make_url(sql_url).set(password=secret).render_as_string(hide_password=False)
    out = make_package(tmp_path / "tiny")
    project = tmp_path / "tiny"
    common = ("--project", str(project), "--out", str(out), "--quiet")
    os.environ["MIGRATE_TEST_TARGET_PW_URL"] = url
    try:
        outputs = [
            run_cli("load", *common, "--target", "${MIGRATE_TEST_TARGET_PW_URL}").output,
            run_cli("reconcile", *common[:-1], "--target", url).output,
        ]
    finally:
        del os.environ["MIGRATE_TEST_TARGET_PW_URL"]
    written = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in project.rglob("*")
        if p.is_file() and p.suffix in (".json", ".csv", ".html")
    ]
    assert "batch" in outputs[0] and "reconciled" in outputs[1]
    assert all(secret not in text for text in outputs + written)
    unreachable = run_cli(
        "load", *common, "--target", f"postgresql://loader:{secret}@127.0.0.1:1/erp"
    )
    assert unreachable.exit_code == 4 and secret not in unreachable.output
