"""The benchmark of issue 11: ``make bench`` (``benchmarks/run.py``) loads the scale data into PostgreSQL,
serves the portal with gunicorn and drives it with wrk. The bare endpoints here (``/bench/ping``,
``/bench/alliances/``) exist only with ``PORTAL_BENCHMARK_ENDPOINTS=1``: they are the ceiling the
real endpoints are compared with."""
