"""make serve's stack (nginx in front of gunicorn's sync workers, started by config.serve) with
slow clients, and nginx's own answers (issue 13, finding 2).

While clients that send their request header a line a second and clients that read the CSV
export a few bytes at a time through a small receive buffer hold their connections, the probe
and an API page still answer within 2 s, again and again; nginx cuts the slow senders off at its
header timeout. Request lines and headers too long, bodies too large and a missing app server
are problem documents from nginx; what nginx lets through, gunicorn takes. The app sees the
host, scheme and client address nginx saw, never ones a client wrote. nginx and gunicorn stop
together. Loopback only; every count and wait is bounded, and every socket closed.
"""

from __future__ import annotations

import http.client
import os
import re
import select
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from pathlib import Path

import orjson
import pytest

from config.serve import TEMPLATE, Stack, body_limit_mib, start_nginx
from tests.config.conftest import RunningStack, free_port, nginx_or_skip, production_stack

# django_db has the test database (which the servers read) set up; the tests write nothing.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

#: nginx's client_header_timeout, as the template sets it.
HEADER_TIMEOUT = float(re.search(r"client_header_timeout (\d+)s;", TEMPLATE.read_text())[1])
SLOW_SENDERS = 8  # four times gunicorn's two workers
SLOW_READERS = 8
PROBE_ROUNDS = 6
FAST_ENOUGH = 2.0  # seconds for /healthz or an API page while the slow clients hold on
CSV = "/api/v1/observations/?format=csv"
PAGE = "/api/v1/observations/?page_size=5"


def get(
    port: int, path: str, source: str = "", timeout: float = 10, **headers: str
) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0) if source else None
    )
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def raw(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as it is; the status, headers and body of the answer."""
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        # nginx closes after an error; it may reset the connection once the answer is out.
        with suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                answer += chunk
                head, _, body = answer.partition(b"\r\n\r\n")
                length = re.search(rb"\r\ncontent-length: *(\d+)", head, re.IGNORECASE)
                if length and len(body) >= int(length[1]):
                    break  # all of it (nginx may linger before closing)
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (x.partition(":") for x in lines)}
    return int(status_line.split()[1]), headers, body


class SlowSender:
    """Sends a request header one line at a time, and never ends it."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.sendall(b"GET /api/v1/observations/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.opened = time.monotonic()
        self.lines = 0
        self.cut_off_after: float | None = None

    def tick(self) -> None:
        if self.cut_off_after is not None:
            return
        try:
            if select.select([self.sock], [], [], 0)[0]:
                # nginx never answers a header it has not got: readable means closed or reset.
                raise ConnectionError(self.sock.recv(4096))
            self.lines += 1
            self.sock.sendall(b"X-Slow-%d: %d\r\n" % (self.lines, self.lines))
        except OSError:
            self.cut_off_after = time.monotonic() - self.opened


class SlowReader:
    """Asks for the CSV export of every observation through a 4 KiB receive buffer, and reads
    64 bytes of it at a time."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(5)
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(f"GET {CSV} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        self.received = b""

    def tick(self) -> None:
        self.received += self.sock.recv(64)


class SlowClients:
    """The senders and readers, each sending or reading its bit in a thread of their own: the
    readers every 0.5 s, the senders every second."""

    def __init__(self, port: int, exits: ExitStack) -> None:
        self.senders: list[SlowSender] = []
        self.readers: list[SlowReader] = []
        for _ in range(SLOW_SENDERS):
            self.senders.append(SlowSender(port))
            exits.callback(self.senders[-1].sock.close)
        for _ in range(SLOW_READERS):
            self.readers.append(SlowReader(port))
            exits.callback(self.readers[-1].sock.close)
        self.errors: list[str] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        exits.callback(self.stop)

    def run(self) -> None:
        ticks = 0
        while not self.done.wait(0.5):
            ticks += 1
            for reader in self.readers:
                try:
                    reader.tick()
                except OSError as error:
                    self.errors.append(f"slow reader: {error!r}")
            if ticks % 2 == 0:
                for sender in self.senders:
                    sender.tick()

    def stop(self) -> None:
        self.done.set()
        self.thread.join(timeout=10)


def test_slow_clients_hold_no_worker(stack: RunningStack):
    _, _, whole_csv = get(stack.port, CSV)
    assert whole_csv.count(b"\n") > 100
    timings: dict[str, list[float]] = {"/healthz": [], PAGE: []}
    with ExitStack() as exits:
        clients = SlowClients(stack.port, exits)
        time.sleep(1.5)  # every slow request under way: the CSV being sent, headers begun
        for _ in range(PROBE_ROUNDS):
            for path, times in timings.items():
                started = time.monotonic()
                status, _, _ = get(stack.port, path, timeout=10)
                times.append(time.monotonic() - started)
                assert status == 200, path
            time.sleep(0.5)
        # The slow clients were there all along: every sender still sending its header, every
        # reader part-way through its CSV.
        assert [s.cut_off_after for s in clients.senders] == [None] * SLOW_SENDERS
        assert min(s.lines for s in clients.senders) >= 2
        for reader in clients.readers:
            assert reader.received.startswith(b"HTTP/1.1 200 OK\r\n")
            assert b"text/csv" in reader.received
            assert 0 < len(reader.received) < len(whole_csv)
        # nginx cuts each sender off at its header timeout, not before.
        deadline = min(s.opened for s in clients.senders) + HEADER_TIMEOUT + 5
        while time.monotonic() < deadline and any(s.cut_off_after is None for s in clients.senders):
            time.sleep(0.2)
        cut_off = [s.cut_off_after for s in clients.senders]
        # The readers are still reading, and the app still answers at once.
        started = time.monotonic()
        assert get(stack.port, "/healthz")[0] == 200
        last = time.monotonic() - started
        read = [len(r.received) for r in clients.readers]
        clients.stop()
        assert clients.errors == []
    slowest = {path: max(times) for path, times in timings.items()}
    print(
        f"\n{SLOW_SENDERS} slow senders, {SLOW_READERS} slow readers of a {len(whole_csv)}-byte "
        f"CSV: {PROBE_ROUNDS} rounds, slowest /healthz {slowest['/healthz']:.3f} s, slowest "
        f"page {slowest[PAGE]:.3f} s, /healthz at the end {last:.3f} s; senders cut off after "
        f"{', '.join(f'{c:.1f}' for c in cut_off if c is not None)} s; readers had read "
        f"{min(read)}-{max(read)} bytes"
    )
    assert max(slowest.values()) < FAST_ENOUGH, timings
    assert last < FAST_ENOUGH
    assert all(c is not None and HEADER_TIMEOUT - 0.5 <= c <= HEADER_TIMEOUT + 3 for c in cut_off)


def _problem(status: int, headers: dict[str, str], body: bytes) -> dict[str, object]:
    assert headers["content-type"] == "application/problem+json"
    problem = orjson.loads(body)
    assert problem["type"] == "about:blank"
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    return problem


HOST = b"Host: 127.0.0.1\r\nConnection: close\r\n"


@pytest.mark.parametrize(
    ("request_bytes", "status", "title"),
    [
        pytest.param(
            b"GET /api/v1/observations/?q=" + b"x" * 9000 + b" HTTP/1.1\r\n" + HOST + b"\r\n",
            414,
            "URI Too Long",
            id="request line over 8 KiB",
        ),
        pytest.param(
            b"GET /api/v1/ HTTP/1.1\r\n" + HOST + b"X-Big: " + b"x" * 9000 + b"\r\n\r\n",
            431,
            "Request Header Fields Too Large",
            id="header line over 8 KiB",
        ),
        pytest.param(
            b"GET /api/v1/ HTTP/1.1\r\n"
            + HOST
            + b"".join(b"X-Part-%d: %s\r\n" % (i, b"x" * 900) for i in range(40))
            + b"\r\n",
            431,
            "Request Header Fields Too Large",
            id="headers over 32 KiB in all",
        ),
        pytest.param(
            b"GET /api/v1/ HTTP/1.1\r\n" + HOST + b"Not a header line\r\n\r\n",
            400,
            "Bad Request",
            id="malformed header",
        ),
        pytest.param(
            b"POST /api/v1/observations/ HTTP/1.1\r\n"
            + HOST
            + b"Content-Length: %d\r\n\r\n" % (8 * 2**20 + 1),
            413,
            "Content Too Large",
            id="body over 8 MiB",
        ),
    ],
)
def test_nginx_answers_its_own_errors_as_problems(
    stack: RunningStack, request_bytes: bytes, status: int, title: str
):
    answer_status, headers, body = raw(stack.port, request_bytes)
    assert answer_status == status
    assert _problem(status, headers, body)["title"] == title


def test_what_nginx_lets_through_gunicorn_takes(stack: RunningStack):
    """At nginx's limits exactly (a request line or a header line of 8190 bytes, an
    X-Forwarded-For nginx makes longer still), the app answers, never gunicorn's HTML."""
    prefix, suffix = b"GET /api/v1/observations/?page_size=5&q=", b" HTTP/1.1"
    line = prefix + b"x" * (8190 - len(prefix) - len(suffix)) + suffix
    status, headers, body = raw(stack.port, line + b"\r\n" + HOST + b"\r\n")
    problem = _problem(status, headers, body)  # the app's: q is at most 200 characters
    assert (status, "x-request-id" in headers) == (400, True)
    assert "q" in str(problem["detail"])
    for name in (b"X-Big", b"X-Forwarded-For"):
        header = name + b": " + b"1" * (8190 - len(name) - 2)
        status, headers, _ = raw(
            stack.port, b"GET /api/v1/ HTTP/1.1\r\n" + HOST + header + b"\r\n\r\n"
        )
        assert (status, headers["content-type"]) == (200, "application/json"), name
    # A body of 2 MiB (an article upload, say) reaches the app, which refuses this one itself.
    body = b"x" * 2**21
    status, headers, response = raw(
        stack.port,
        b"POST /api/v1/observations/ HTTP/1.1\r\n"
        + HOST
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body,
    )
    assert _problem(status, headers, response)["title"] == "Method Not Allowed"


def test_the_configuration_is_rendered_whole(tmp_path: Path):
    stack = Stack(nginx="nginx", runtime_dir=tmp_path, body_mib=body_limit_mib({}))
    text = stack.nginx_config()
    assert "{{" not in text and "}}" not in text
    assert "client_max_body_size 8m;" in text
    assert f"server unix:{tmp_path / 'gunicorn.sock'} fail_timeout=0;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    # Behind a further proxy nginx keeps the scheme it reports; an upload limit raised
    # past 4 MiB raises nginx's with it.
    assert "$forwarded_proto_from_outer_proxy;" in Stack(nginx="nginx", proxies=2).nginx_config()
    assert body_limit_mib({"INGEST_MAX_BYTES": str(10 * 2**20)}) == 21


def test_the_app_sees_the_host_and_scheme_nginx_saw(stack: RunningStack):
    """Links keep the Host the client sent, port and all; a client claiming HTTPS over plain
    HTTP (in any of the headers gunicorn reads) does not make the app believe it."""
    status, _, body = get(
        stack.port,
        "/api/v1/observations/?page_size=1",
        **{"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on", "X-Forwarded-Protocol": "ssl"},
    )
    assert status == 200
    assert orjson.loads(body)["next"].startswith(f"http://127.0.0.1:{stack.port}/api/v1/")
    # An HTTP/1.0 request without a Host is asked of the address it came to.
    status, headers, body = raw(stack.port, b"GET /api/v1/ HTTP/1.0\r\n\r\n")
    assert (status, headers["content-type"]) == (200, "application/json")
    assert f"http://127.0.0.1:{stack.port}/api/v1/".encode() in body


@pytest.fixture
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "static-shared"


@pytest.fixture
def own_stack(
    tmp_path: Path, static_root: Path, django_db_setup: None, django_db_blocker
) -> Iterator[tuple[Path, Path]]:
    """Where a test starts a stack of its own (with settings of its own)."""
    with django_db_blocker.unblock():
        yield tmp_path / "serve", static_root


def test_the_client_is_the_address_nginx_saw(own_stack: tuple[Path, Path]):
    """The throttle counts the address nginx appended to X-Forwarded-For, not the ones the
    client wrote before it (API_TRUSTED_PROXIES=1): a client cannot pass for many; another
    address (127.0.0.2) is another client."""
    with production_stack(*own_stack, workers=1, API_ANON_RATE="3/day") as stack:
        statuses = [
            get(stack.port, "/api/v1/districts/", **{"X-Forwarded-For": f"198.51.100.{i}"})[0]
            for i in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        assert get(stack.port, "/api/v1/districts/", source="127.0.0.2")[0] == 200


def _pid(path: Path) -> int:
    return int(path.read_text().strip())


def _gone(pid: int, within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_nginx_and_gunicorn_stop_together(own_stack: tuple[Path, Path]):
    """Ctrl-C (SIGINT to the terminal's whole process group) stops both; so does either dying
    (here gunicorn, killed), and the launcher then says so in its exit status. gunicorn listens
    on a socket only its user may reach."""
    runtime_dir, static_root = own_stack
    with production_stack(runtime_dir, static_root) as stack:
        assert (runtime_dir.stat().st_mode & 0o777) == 0o700
        assert (runtime_dir / "gunicorn.sock").is_socket()
        nginx, gunicorn = _pid(runtime_dir / "nginx.pid"), _pid(runtime_dir / "gunicorn.pid")
        os.killpg(stack.process.pid, signal.SIGINT)
        assert stack.process.wait(timeout=30) == 0
        assert _gone(nginx) and _gone(gunicorn)
        assert not (runtime_dir / "gunicorn.sock").exists()
    with production_stack(runtime_dir, static_root) as stack:
        nginx, gunicorn = _pid(runtime_dir / "nginx.pid"), _pid(runtime_dir / "gunicorn.pid")
        children = Path(f"/proc/{gunicorn}/task/{gunicorn}/children").read_text().split()
        os.kill(gunicorn, signal.SIGKILL)
        try:
            assert stack.process.wait(timeout=30) == 1
            assert _gone(nginx)
            assert "gunicorn exited: stopping" in stack.log()
        finally:
            # Its orphaned workers would leave by themselves within seconds; not after us.
            for worker in map(int, children):
                with suppress(ProcessLookupError):
                    os.kill(worker, signal.SIGTERM)


def test_without_its_app_server_nginx_answers_502_problems(tmp_path: Path):
    """nginx alone, nothing on gunicorn's socket: every path is a 502 problem document."""
    stack = Stack(nginx=nginx_or_skip(), port=free_port(), runtime_dir=tmp_path / "serve")
    stack.prepare()
    log = open(tmp_path / "nginx.log", "wb")  # noqa: SIM115 (open until nginx has stopped)
    nginx, relay = start_nginx(stack, os.environ, output=log.fileno())
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", stack.port), timeout=1).close()
                break
            except OSError:
                assert nginx.poll() is None and time.monotonic() < deadline, (
                    tmp_path / "nginx.log"
                ).read_text()
                time.sleep(0.1)
        for path in ("/api/v1/observations/", "/admin/"):
            status, headers, body = raw(
                stack.port, f"GET {path} HTTP/1.1\r\n".encode() + HOST + b"\r\n"
            )
            assert status == 502, path
            assert _problem(502, headers, body)["title"] == "Bad Gateway"
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=20)
        relay.join(timeout=10)
        log.close()
    log_lines = (tmp_path / "nginx.log").read_text().splitlines()
    front = [orjson.loads(line) for line in log_lines if line.startswith("{")]
    assert [(entry["uri"], entry["status"], entry["level"]) for entry in front] == [
        ("/api/v1/observations/", 502, "ERROR"),
        ("/admin/", 502, "ERROR"),
    ]
