#!/usr/bin/env python3
"""The README's commands, with nothing but Python 3.11+ on the machine.

    python3 portal.py serve   # venv, install, translations, migrate, demo data, serve on 127.0.0.1:8000
    python3 portal.py test    # venv, install, translations, the whole test suite (extra args go to pytest)
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".installed-lock"


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def setup() -> None:
    """Create the virtualenv and install the locked dependencies (again only when the lock changed)."""
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = (ROOT / "requirements.lock").read_text()
    if not STAMP.exists() or STAMP.read_text() != lock:
        run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.lock")
        STAMP.write_text(lock)
    run(PYTHON, "manage.py", "compile_translations")


def serve() -> None:
    setup()
    run(PYTHON, "manage.py", "migrate", "--noinput")
    run(PYTHON, "manage.py", "load_demo_data", "--if-empty")
    run(PYTHON, "manage.py", "runserver", "127.0.0.1:8000")


def test(extra: list[str]) -> None:
    setup()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alliance_portal.settings"}
    args = extra or ["-n", os.environ.get("PYTEST_WORKERS", "2")]
    run(PYTHON, "-m", "pytest", *args, env=env)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        if command == "serve":
            serve()
        elif command == "test":
            test(sys.argv[2:])
        elif command == "setup":
            setup()
        else:
            print(__doc__)
            sys.exit(2)
    except subprocess.CalledProcessError as failure:
        sys.exit(failure.returncode)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
