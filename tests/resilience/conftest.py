"""The resilience suite: faults and abuse, each scenario printing what it tried and what held.

``report("20 concurrent grants → 1 transition")`` records a line on the test's report (a user property,
which xdist carries from its workers); ``tests/conftest.py`` prints the lines in the terminal summary,
so CI's log shows them without ``-s``. With ``-s`` (``make resilience``) they are printed as they come too.
"""

import signal
import socket
import subprocess

import pytest
import redis

from tests.reminders.workers import wait_until


@pytest.fixture
def report(request):
    def say(line: str) -> None:
        request.node.user_properties.append(("resilience", f"[{request.node.name}] {line}"))
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        if capture is not None and not capture.is_globally_capturing():
            print(f"  resilience: {line}")

    return say


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]



def settle(response):
    """Read a streamed download to its end: the test client then closes it (and its file) the safe way.
    ``response.close()`` would fire ``request_finished``, whose ``close_old_connections`` drops the connection
    inside the test's transaction on PostgreSQL."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


class RedisServer:
    """``redis-server`` on a free loopback port, without persistence (as the machine's own runs)."""

    def __init__(self, log):
        self.port = free_port()
        self.log = log
        self.process = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--daemonize", "no"],
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True)

        def answers():
            try:
                return redis.Redis.from_url(self.url, socket_timeout=1).ping()
            except redis.ConnectionError:
                return False

        wait_until(answers, timeout=20, what=f"redis-server on port {self.port}", interval=0.05)

    def kill(self) -> None:
        """Down: connections are refused."""
        self.process.kill()
        self.process.wait(timeout=10)

    def hang(self) -> None:
        """Hung (SIGSTOP): connections are accepted by the kernel, nothing is ever answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path / "redis.log")
    yield server
    if server.process.poll() is None:
        server.kill()


class Process:
    """A server process of a test (gunicorn, a Celery worker), logging to a file, stopped at the end."""

    def __init__(self, args: list[str], env: dict, log, cwd):
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(args, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
