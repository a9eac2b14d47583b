# The README's commands. `test` and `serve` delegate to portal.py (which creates .venv and installs
# the lock); `bench` and `resilience` need PostgreSQL and Redis running (see README, Benchmarks).
PYTHON ?= .venv/bin/python

.PHONY: test serve bench resilience backup restore-drill

test:
	python3 portal.py test $(ARGS)

serve:
	python3 portal.py serve

# About eight minutes (more when it first loads the scale data into PostgreSQL): serves it with gunicorn, drives it with
# wrk; results in artifacts/bench/. Extra options through ARGS, e.g. make bench ARGS="--reload".
bench:
	python3 portal.py setup
	$(PYTHON) -m benchmarks.run $(ARGS)

resilience:
	$(PYTHON) -m pytest -m resilience -p no:xdist -s tests/resilience

# A backup run now (database, files, manifest) under BACKUP_ROOT; see README, "Running it".
backup:
	$(PYTHON) manage.py backup

# CI's restore drill, on the local PostgreSQL (127.0.0.1:5432): back up the demo, restore, compare.
restore-drill:
	.ci/restore_drill $(ARGS)
