"""The preview server over plain HTTP, as curl or a link checker sees it: HEAD, redirects to the slash, 404,
the warning for a non-loopback --host and the message for a port already taken."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from browser import Served, free_port
from conftest import REPO


@pytest.fixture
def served(site):
    server = Served(site())
    yield server
    if server.proc.poll() is None:
        server.stop()


def request(server, method: str, path: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(method, path)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def test_head_answers_like_get_without_a_body(served):
    status, headers, body = request(served, "GET", "/claims/korea-utara-memasok-senjata/")
    assert status == 200 and headers["content-type"].startswith("text/html") and b"Korea Utara" in body
    status, head_headers, head_body = request(served, "HEAD", "/claims/korea-utara-memasok-senjata/")
    assert status == 200 and head_body == b""
    assert head_headers["content-type"] == headers["content-type"]
    assert int(head_headers["content-length"]) == len(body)
    status, headers, body = request(served, "HEAD", "/css/site.css")
    assert status == 200 and headers["content-type"].startswith("text/css") and body == b""


def test_a_page_without_its_slash_redirects_and_a_missing_one_is_404(served):
    status, headers, _ = request(served, "GET", "/claims/korea-utara-memasok-senjata")
    assert status == 301 and headers["location"] == "/claims/korea-utara-memasok-senjata/"
    status, headers, body = request(served, "GET", "/claims/tidak-ada/")
    assert status == 404 and headers["content-type"].startswith("text/html") and b"<h1" in body
    status, _, _ = request(served, "GET", "/claims/tidak-ada")
    assert status == 404, "no redirect to a page that does not exist either"


def start(root, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(root), *args], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def read_until(proc, prefix: str, seconds: float = 60) -> list[str]:
    lines, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith(prefix):
            break
    return lines


def test_a_non_loopback_host_is_served_with_a_warning(site):
    port = free_port()
    proc = start(site(), "--host", "0.0.0.0", "--port", str(port))
    try:
        lines = read_until(proc, "Serving")
        assert lines and lines[0].strip() == \
            "warning: serving on 0.0.0.0: anyone who can reach this machine can see the preview", lines
        assert lines[-1].startswith("Serving") and f":{port}/" in lines[-1]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)


def test_a_port_in_use_is_said_with_the_next_one_to_try(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = start(site(), "--port", str(port))
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use (try --port {port + 1})" in out
    assert "Traceback" not in out
