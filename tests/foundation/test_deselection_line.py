"""Outside CI, tests needing what the machine lacks are deselected with one line in the terminal summary that
names each missing thing and its count: with and without xdist workers (the README's command uses two)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SELECTED = [
    "tests/reminders/test_celery_worker.py",  # PostgreSQL and a Redis worker, two tests
    "tests/reviews/test_workflow_diagram.py::test_management_command_writes_and_checks_the_files",  # dot
    "tests/reviews/test_workflow_diagram.py::test_every_transition_of_the_table_is_an_arrow",  # runs
]


@pytest.mark.parametrize("workers", [["-n", "2"], ["-p", "no:xdist"]], ids=["xdist", "single"])
def test_one_line_names_each_missing_thing_with_its_count(tmp_path, workers):
    env = {name: value for name, value in os.environ.items()
           if name not in {"CI", "DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS"}}
    env["PATH"] = str(tmp_path)  # no dot here (chromium is looked up at its Debian path)
    run = subprocess.run([sys.executable, "-m", "pytest", *workers, "-q", *SELECTED], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300, check=False)

    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith("deselected ")]
    assert lines == [
        "deselected 3 tests this machine cannot run: 1 need Graphviz's dot, to build the diagram (Debian: apt "
        "install graphviz); 2 need PostgreSQL (set DATABASE_URL=postgres://…); 2 need a Redis worker (set "
        "REDIS_URL) (CI=true runs them all)"]
    assert "1 passed" in run.stdout


def test_under_ci_nothing_is_deselected(tmp_path):
    env = {name: value for name, value in os.environ.items() if name not in {"DATABASE_URL", "PYTEST_XDIST_WORKER"}}
    env["CI"] = "true"
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "--collect-only", *SELECTED],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode != 0
    assert "CI runs need DATABASE_URL" in run.stdout + run.stderr
