"""Real servers for the remote-endpoint tests, on 127.0.0.1 only, started and stopped by the tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    path = shutil.which("oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if path is None:
        raise RuntimeError("the `oxigraph` server binary is missing: pip install 'ngograph[test]' (PyPI package oxigraph)")
    return path


@contextmanager
def serving(argv: list[str], base: str, log_path: Path, timeout: float = 20.0, **popen):
    """Run a SPARQL server process until ``{base}/query`` answers; yield ``base``; stop it by pid at the end."""
    log = open(log_path, "wb")
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, **popen)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server {' '.join(argv)} did not start: {log_path.read_text()}")
                time.sleep(0.1)
        yield base
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@contextmanager
def oxigraph_server(location: Path, timeout: float = 20.0):
    """A real Oxigraph server on a free port; yields its base URL; stopped by pid at the end."""
    port = free_port()
    with serving([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                 f"http://127.0.0.1:{port}", location.parent / f"oxigraph-{port}.log", timeout) as base:
        yield base


class _Broken(BaseHTTPRequestHandler):
    """Answers every SPARQL request wrongly, by path."""

    def log_message(self, *args):  # keep test output clean
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?")[0]
        if path.startswith("/slow"):
            time.sleep(3)
        status, ctype, body = {
            "/html": (200, "text/html", b"<!DOCTYPE html><html><body><h1>Login required</h1></body></html>"),
            "/error": (500, "text/plain", b"Internal Server Error: out of memory"),
            "/empty": (200, "application/sparql-results+json", b""),
            "/garbage": (200, "application/sparql-results+json", b"\x00\x01 this is not json"),
            "/wrongjson": (200, "application/sparql-results+json", b'{"boolean": true}'),
            "/slow": (200, "application/sparql-results+json", b'{"head":{"vars":[]},"results":{"bindings":[]}}'),
        }.get(path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = _answer


@contextmanager
def broken_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Broken)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
