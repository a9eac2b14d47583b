"""gunicorn settings beside the command-line flags of docker-compose.yml: metrics of exited workers.

With ``PROMETHEUS_MULTIPROC_DIR`` each worker process writes its metrics to files there, which /metrics adds
up; a worker that exits (max-requests, a crash) must be marked dead, or its live gauges stay counted.
"""

import os


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
