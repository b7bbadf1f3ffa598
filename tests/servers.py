"""Real servers for the remote-endpoint tests, on 127.0.0.1 only, started and stopped by the tests."""

from __future__ import annotations

import json
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

from rdflib.namespace import XSD


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
def running(argv: list[str], probe: str, log_path: Path, timeout: float = 20.0, **popen):
    """Run a server process until a GET of ``probe`` answers 200; yield the process; stop it by pid at the end."""
    log = open(log_path, "wb")
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, **popen)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(probe, timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server {' '.join(argv)} did not start: {log_path.read_text()}")
                time.sleep(0.1)
        yield proc
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@contextmanager
def serving(argv: list[str], base: str, log_path: Path, timeout: float = 20.0, **popen):
    """Run a SPARQL server process until ``{base}/query`` answers; yield ``base``; stop it by pid at the end."""
    with running(argv, f"{base}/query?query=ASK%7B%7D", log_path, timeout, **popen):
        yield base


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
            "/nothing": (204, "text/plain", b""),  # takes any update, stores nothing
            "/fuseki": (200, "text/html", b"<html><body><h1>Success</h1><p>Update succeeded</p></body></html>"),
        }.get(path, (404, "text/plain", b"not found"))
        if path.startswith("/count/"):  # an endpoint whose graphs always hold that many triples
            value = {"type": "literal", "value": path.rsplit("/", 1)[1], "datatype": str(XSD.integer)}
            status, ctype = 200, "application/sparql-results+json"
            body = json.dumps({"head": {"vars": ["triples"]}, "results": {"bindings": [{"triples": value}]}}).encode()
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


def _read_request(conn: socket.socket) -> bool:
    """Read one HTTP request (head and Content-Length body); False when the client went away."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        body += chunk
    return True


def trickle_head(conn: socket.socket, stop: threading.Event) -> None:
    """An answer whose head never ends: one byte every half second."""
    for byte in iter(lambda: b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000, None):
        for i in range(len(byte)):
            if stop.wait(0.5):
                return
            conn.sendall(byte[i:i + 1])


def trickle_body(conn: socket.socket, stop: threading.Event) -> None:
    """A complete head, then a body of one byte every half second."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: 100000\r\n\r\n")
    while not stop.wait(0.5):
        conn.sendall(b" ")


def not_http(conn: socket.socket, stop: threading.Event) -> None:
    """Bytes that are no HTTP answer, then close."""
    conn.sendall(b"\x00\x01\x02\xff garbage, not HTTP\r\n\r\n")


@contextmanager
def raw_server(answer, asked: threading.Event | None = None):
    """A TCP server on 127.0.0.1 that reads each HTTP request and then lets ``answer(conn, stop)``
    write whatever it likes; yields its base URL. ``asked`` is set when a request has been read."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def handle(conn):
        with conn:
            conn.settimeout(10)
            try:
                if _read_request(conn):
                    if asked is not None:
                        asked.set()
                    answer(conn, stop)
            except OSError:
                pass

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        server.close()
