"""The resilience suite: faults and abuse, each scenario printing what it tried and what held.

``report("20 concurrent grants → 1 transition")`` records a line on the test's report (a user property,
which xdist carries from its workers); ``tests/conftest.py`` prints the lines in the terminal summary,
so CI's log shows them without ``-s``. With ``-s`` (``make resilience``) they are printed as they come too.
"""

import socket

import pytest


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
