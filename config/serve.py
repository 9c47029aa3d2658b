"""The production server as ``make serve`` runs it: nginx in front, gunicorn behind it.

    python -m config.serve [--host 127.0.0.1] [--port 8000] [--workers 2] [--runtime-dir DIR]
    python -m config.serve --install-nginx

nginx (Debian's package) listens on HOST:PORT and is the only way in: gunicorn's sync workers
listen on a unix socket in the runtime directory (``var/serve/``, mode 0700), which only the user
running both can reach. nginx passes a request on only once it has read all of it, and takes the
app's whole answer at once (into memory, then a temporary file) before handing it to the client
at the client's pace, so a slow client holds a cheap nginx connection, never a gunicorn worker.
It times out clients that send too slowly, bounds request lines and headers (below gunicorn's
limits, so gunicorn never answers one of its HTML errors), and answers its own errors as problem
documents. Its configuration is ``config/nginx/nginx.conf.template``, rendered into the runtime
directory on every start.

gunicorn's environment gets ``API_TRUSTED_PROXIES=1`` (nginx appends the address it saw to
X-Forwarded-For, and the app trusts that one entry; set it higher when more proxies stand in front
of nginx, which then also keeps their X-Forwarded-Proto) and ``DJANGO_BEHIND_PROXY=1`` (nginx sets
X-Forwarded-Proto). Both processes run as the user who starts them, and stop together: on Ctrl-C
or SIGTERM, or when either of them exits.

The tests, the benchmark and the load test start the same gunicorn through
:func:`gunicorn_command` and :func:`running_gunicorn` (or :func:`start_gunicorn`): config.wsgi,
the request limits, the graceful timeout and no control socket, as deployed, on a loopback port.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

BASE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE = BASE_DIR / "config" / "nginx" / "nginx.conf.template"
#: Where Debian and source builds put nginx, which is often not on a normal user's PATH.
NGINX_PLACES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
#: gunicorn's request limits, at or above nginx's (a request line of 8 KiB, header lines of
#: 8 KiB and 32 KiB of headers in all) plus what nginx adds (an X-Forwarded-For entry,
#: X-Request-ID), so whatever nginx lets through, gunicorn takes. 8190 is gunicorn's largest
#: request line, and nginx's too with an 8 KiB buffer (tested at the boundary).
GUNICORN_LIMITS = (
    "--limit-request-line", "8190",
    "--limit-request-fields", "32768",
    "--limit-request-field_size", "16384",
)  # fmt: skip
#: Longest path of a unix socket (108 bytes with its terminating NUL on Linux).
MAX_SOCKET_PATH = 107
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


class NginxMissing(RuntimeError):
    """nginx is not installed and could not be installed."""


def find_nginx() -> str | None:
    """nginx's executable: $NGINX, on PATH, or where Debian puts it."""
    given = os.environ.get("NGINX")
    if given:
        return given if os.access(given, os.X_OK) else None
    found = shutil.which("nginx")
    if found:
        return found
    return next((place for place in NGINX_PLACES if os.access(place, os.X_OK)), None)


def install_nginx(interactive: bool = True) -> str:
    """nginx's executable, installing Debian's package first when there is none: as root, or
    through sudo (``sudo -n`` unless ``interactive``, so it never waits for a password)."""
    found = find_nginx()
    if found:
        return found
    if not shutil.which("apt-get"):
        raise NginxMissing("nginx is not installed and there is no apt-get to install it with")
    sudo: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            raise NginxMissing("nginx is not installed, and installing it needs root or sudo")
        sudo = ["sudo"] if interactive else ["sudo", "-n"]
    install = [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q"]
    install.append("nginx")
    print("installing nginx from Debian's packages", file=sys.stderr)

    def run(command: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)

    result = run(install)
    if result.returncode != 0:  # package lists missing or stale: update them once, and retry
        run([*sudo, "apt-get", "update", "-q"])
        result = run(install)
    found = find_nginx()
    if result.returncode != 0 or not found:
        raise NginxMissing(f"could not install nginx: {(result.stderr or result.stdout)[-800:]}")
    return found


def nginx_version(nginx: str) -> tuple[int, ...]:
    """(1, 22, 1) for nginx/1.22.1; () when it does not say."""
    result = subprocess.run([nginx, "-v"], capture_output=True, text=True, timeout=30, check=False)
    found = re.search(r"nginx/(\d+(?:\.\d+)*)", result.stderr + result.stdout)
    return tuple(int(part) for part in found.group(1).split(".")) if found else ()


def render(template: str, values: Mapping[str, str]) -> str:
    """The template with each ``{{ name }}`` replaced; every name must be given."""
    missing = sorted(set(PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise KeyError(f"no value for {', '.join(missing)} in the nginx template")
    return PLACEHOLDER.sub(lambda found: values[found.group(1)], template)


def trusted_proxies(env: Mapping[str, str]) -> int:
    """API_TRUSTED_PROXIES for the app behind this nginx: 1 unless more are given."""
    value = env.get("API_TRUSTED_PROXIES", "").strip() or "1"
    proxies = int(value)
    if proxies < 1:
        raise SystemExit(
            f"API_TRUSTED_PROXIES={value}: behind nginx the app must trust at least nginx itself"
        )
    return proxies


def body_limit_mib(env: Mapping[str, str]) -> int:
    """nginx's largest request body, in MiB: 8, or room for twice the largest article upload
    (INGEST_MAX_BYTES) when that is more, so the admin upload page refuses a file too big with
    its own message, and only a body far past any limit gets nginx's 413."""
    article = int(env.get("INGEST_MAX_BYTES", "").strip() or 512 * 1024)
    return max(8, -(-2 * article // 2**20) + 1)


@dataclass
class Stack:
    """nginx on ``host:port`` in front of gunicorn on a unix socket in ``runtime_dir``."""

    nginx: str
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    runtime_dir: Path = BASE_DIR / "var" / "serve"
    proxies: int = 1
    body_mib: int = 8

    def __post_init__(self) -> None:
        self.runtime_dir = Path(self.runtime_dir).resolve()

    @property
    def socket_path(self) -> Path:
        return self.runtime_dir / "gunicorn.sock"

    @property
    def config_path(self) -> Path:
        return self.runtime_dir / "nginx.conf"

    def listen(self) -> str:
        host = self.host
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"{host}:{self.port}"

    def nginx_config(self) -> str:
        return render(
            TEMPLATE.read_text(encoding="utf-8"),
            {
                # Without root nginx runs as its caller, and must not be told a user; as root
                # its workers would otherwise become "nobody", who cannot reach the socket.
                "user": "user root;" if os.geteuid() == 0 else "# user: whoever starts nginx",
                "runtime": str(self.runtime_dir),
                "listen": self.listen(),
                "upstream": f"unix:{self.socket_path}",
                "body_mib": str(self.body_mib),
                "forwarded_proto": (
                    "$forwarded_proto_from_outer_proxy" if self.proxies > 1 else "$scheme"
                ),
            },
        )

    def prepare(self) -> None:
        """The runtime directory (only its owner may enter: the socket is the app's door),
        its temporary directories and nginx.conf; no stale socket."""
        if len(str(self.socket_path)) > MAX_SOCKET_PATH:
            raise SystemExit(
                f"{self.socket_path} is too long for a unix socket: give a shorter --runtime-dir"
            )
        (self.runtime_dir / "tmp").mkdir(parents=True, exist_ok=True)
        self.runtime_dir.chmod(0o700)
        with suppress(FileNotFoundError):
            self.socket_path.unlink()
        self.config_path.write_text(self.nginx_config(), encoding="utf-8")

    def gunicorn_command(self) -> list[str]:
        pid_file = str(self.runtime_dir / "gunicorn.pid")
        return gunicorn_command(f"unix:{self.socket_path}", self.workers, "--pid", pid_file)

    def gunicorn_env(self, env: Mapping[str, str]) -> dict[str, str]:
        return {
            **env,
            "API_TRUSTED_PROXIES": str(self.proxies),
            "DJANGO_BEHIND_PROXY": "1",
        }

    def nginx_command(self) -> list[str]:
        command = [self.nginx, "-p", f"{self.runtime_dir}/", "-c", str(self.config_path)]
        if nginx_version(self.nginx) >= (1, 19, 5):
            command += ["-e", "stderr"]  # not the compiled-in log file, which may be root's
        return command

    def probe_address(self) -> tuple[str, int]:
        """Where to knock to see nginx listening (a wildcard address is knocked on locally)."""
        host = self.host.strip("[]")
        return ({"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host), self.port)


def gunicorn_private_options() -> list[str]:
    """No control socket where gunicorn has one (27 opens ~/.gunicorn/gunicorn.ctl by default,
    which another server on this machine may be using)."""
    from gunicorn.config import KNOWN_SETTINGS

    known = {setting.name for setting in KNOWN_SETTINGS}
    return ["--no-control-socket"] if "control_socket_disable" in known else []


def gunicorn_command(bind: str, workers: int = 2, *options: str) -> list[str]:
    """gunicorn serving config.wsgi as deployed: sync workers (unless ``options`` name another
    class) with a heartbeat while a streamed answer makes progress (config.heartbeat), a 10 s
    graceful stop, the request limits and no control socket, bound to ``bind``
    (``unix:PATH`` or ``HOST:PORT``). Later ``options`` win over these defaults."""
    return [
        sys.executable, "-m", "gunicorn", "config.wsgi",
        "--bind", bind, "--workers", str(workers), "--graceful-timeout", "10",
        "--config", "python:config.heartbeat",
        *GUNICORN_LIMITS, *gunicorn_private_options(), *options,
    ]  # fmt: skip


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class ServerFailed(RuntimeError):
    """gunicorn exited while starting, or did not answer in time; the message ends with the
    tail of its output."""


@dataclass
class Gunicorn:
    """gunicorn started by :func:`start_gunicorn`: a process group of its own (master and
    workers), listening on ``host:port``, its output in ``log_path``."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    log_path: Path
    #: The log is a temporary file of ours, removed once the server has stopped.
    temporary_log: bool = False

    @property
    def base(self) -> str:
        """The server's URL, without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def worker_pids(self) -> list[int]:
        """The master's children (its workers; a process started through ``prefix`` such as
        taskset has replaced itself with gunicorn, so the pid is the master's)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def log_tail(self, characters: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-characters:]
        except OSError:
            return ""

    def stop(self, grace: float = 20) -> None:
        """Stop the group: SIGTERM (gunicorn's graceful stop), then SIGKILL after ``grace``."""
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.temporary_log:
            self.log_path.unlink(missing_ok=True)


def _answers(host: str, port: int, path: str) -> bool:
    """Whether GET ``path`` answers 200 (plain http.client: no proxy from the environment)."""
    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def start_gunicorn(
    env: Mapping[str, str],
    *,
    workers: int = 2,
    options: Sequence[str] = (),
    host: str = "127.0.0.1",
    port: int | None = None,
    log_path: Path | None = None,
    ready: str = "/healthz",
    timeout: float = 60,
    prefix: Sequence[str] = (),
) -> Gunicorn:
    """gunicorn as deployed (:func:`gunicorn_command`, plus ``options``) with ``env`` on
    ``host:port`` (a free port unless given), in a process group of its own, once ``ready``
    answers 200. Its output goes to ``log_path`` (a temporary file unless given). ``prefix``
    runs it through another command, e.g. ``taskset -c 0``. Raises :class:`ServerFailed`,
    having stopped it, when it exits or does not answer within ``timeout`` seconds."""
    port = port or free_port(host)
    temporary = log_path is None
    if log_path is None:
        descriptor, name = tempfile.mkstemp(prefix="gunicorn-", suffix=".log")
        os.close(descriptor)
        log_path = Path(name)
    command = [*prefix, *gunicorn_command(f"{host}:{port}", workers, *options)]
    output: IO[bytes]
    with open(log_path, "wb") as output:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=dict(env), stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Gunicorn(process, host, port, log_path, temporary_log=temporary)
    deadline = time.monotonic() + timeout
    while not _answers(host, port, ready):
        if process.poll() is not None or time.monotonic() > deadline:
            how = (
                f"exited with status {process.returncode} while starting"
                if process.poll() is not None
                else f"did not answer {ready} within {timeout:.0f} s"
            )
            tail = server.log_tail()
            server.stop()
            raise ServerFailed(f"gunicorn {how}:\n{tail}")
        time.sleep(0.1)
    return server


@contextmanager
def running_gunicorn(
    env: Mapping[str, str],
    *,
    workers: int = 2,
    options: Sequence[str] = (),
    port: int | None = None,
    log_path: Path | None = None,
    ready: str = "/healthz",
    prefix: Sequence[str] = (),
) -> Iterator[Gunicorn]:
    """:func:`start_gunicorn` on 127.0.0.1 as a context manager: stopped (its whole group) on
    leaving."""
    server = start_gunicorn(
        env, workers=workers, options=options, port=port, log_path=log_path, ready=ready,
        prefix=prefix,
    )  # fmt: skip
    try:
        yield server
    finally:
        server.stop()


def _connects(family: int, address: str | tuple[str, int]) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.settimeout(1)
            probe.connect(address)
        return True
    except OSError:
        return False


def _tcp_connects(address: tuple[str, int]) -> bool:
    try:
        socket.create_connection(address, timeout=1).close()
        return True
    except OSError:
        return False


def _wait_for(
    ready: Callable[[], bool],
    process: subprocess.Popen[bytes],
    what: str,
    timeout: float,
    stopping: list[int],
) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if stopping:
            raise SystemExit(0)
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with status {process.returncode} while starting")
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not start within {timeout:.0f} s")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes] | None, signum: int, grace: float) -> None:
    if process is None or process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        process.send_signal(signum)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _relay(source: int, target: int) -> None:
    """Copy nginx's output to our standard error, line by line. nginx reopens its standard error
    by name for the access log: a pipe reopens well, where a socket (systemd's journal) cannot be
    reopened, and a file reopened is written at an offset of its own, over other lines."""
    with os.fdopen(source, "rb") as lines:
        for line in lines:
            # Keep draining when the target is gone: a full pipe would stall nginx.
            with suppress(OSError):
                os.write(target, line)


def start_nginx(
    stack: Stack, env: Mapping[str, str], output: int | None = None
) -> tuple[subprocess.Popen[bytes], threading.Thread]:
    """nginx in the foreground, and the thread relaying its output to ``output`` (a file
    descriptor: our standard error unless given), which ends when nginx does."""
    read_end, write_end = os.pipe()
    try:
        nginx = subprocess.Popen(
            stack.nginx_command(), cwd=stack.runtime_dir, env=dict(env),
            stdout=write_end, stderr=write_end,
        )  # fmt: skip
    except OSError:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)
    target = sys.stderr.fileno() if output is None else output
    relay = threading.Thread(target=_relay, args=(read_end, target), daemon=True)
    relay.start()
    return nginx, relay


def serve(stack: Stack, env: Mapping[str, str]) -> int:
    """Run both until a signal or until either exits; 0 after a signal, 1 otherwise."""
    stopping: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)

    stack.prepare()
    gunicorn: subprocess.Popen[bytes] | None = None
    nginx: subprocess.Popen[bytes] | None = None
    try:
        gunicorn = subprocess.Popen(
            stack.gunicorn_command(), cwd=BASE_DIR, env=stack.gunicorn_env(env)
        )
        _wait_for(
            lambda: _connects(socket.AF_UNIX, str(stack.socket_path)),
            gunicorn,
            "gunicorn",
            120,
            stopping,
        )
        nginx, _ = start_nginx(stack, env)
        _wait_for(lambda: _tcp_connects(stack.probe_address()), nginx, "nginx", 30, stopping)
        print(
            f"Serving on http://{stack.listen()}/: nginx in front of gunicorn "
            f"({stack.workers} workers on {stack.socket_path}); Ctrl-C stops both",
            file=sys.stderr,
            flush=True,
        )
        while not stopping:
            if gunicorn.poll() is not None or nginx.poll() is not None:
                name = "gunicorn" if gunicorn.returncode is not None else "nginx"
                print(f"{name} exited: stopping", file=sys.stderr, flush=True)
                return 1
            time.sleep(0.2)
        return 0
    finally:
        # nginx first, so no request arrives for a gunicorn that is going: SIGQUIT lets it
        # finish what it is sending (worker_shutdown_timeout bounds that), then gunicorn's
        # workers finish their requests (--graceful-timeout).
        _stop(nginx, signal.SIGQUIT, 15)
        _stop(gunicorn, signal.SIGTERM, 15)
        with suppress(FileNotFoundError):
            stack.socket_path.unlink()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="nginx's address (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="nginx's port (8000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's sync workers (2)")
    parser.add_argument(
        "--runtime-dir",
        type=Path,
        default=BASE_DIR / "var" / "serve",
        help="nginx.conf, the socket, temporary files (var/serve)",
    )
    parser.add_argument(
        "--install-nginx",
        action="store_true",
        help="install Debian's nginx if it is absent, and exit",
    )
    args = parser.parse_args(argv)
    try:
        if args.install_nginx:
            if not find_nginx():
                print(f"installed {install_nginx()}", file=sys.stderr)
            return 0
        nginx = find_nginx()
        if nginx is None:
            raise NginxMissing("nginx is not installed: `make nginx` installs Debian's")
    except NginxMissing as error:
        print(f"config.serve: {error}", file=sys.stderr)
        return 1
    stack = Stack(
        nginx=nginx,
        host=args.host,
        port=args.port,
        workers=args.workers,
        runtime_dir=args.runtime_dir,
        proxies=trusted_proxies(os.environ),
        body_mib=body_limit_mib(os.environ),
    )
    return serve(stack, os.environ)


if __name__ == "__main__":
    sys.exit(main())
