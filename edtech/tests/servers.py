"""Real servers for the end-to-end outage tests, each on a free loopback port.

A throwaway PostgreSQL cluster, a redis-server and the app itself under gunicorn with the
project's gunicorn.conf.py. Each can be stopped and started again on the same port, which is
how the tests cause an outage. Whoever starts a server stops it (use them as context managers,
or call stop() in a finally); nothing here touches the machine's own PostgreSQL or Redis.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

PROJECT_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on just now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.1) -> float:
    """Poll predicate until it is true; return the seconds it took. Raises TimeoutError after timeout."""
    started = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what}: not within {timeout:g} s")
        time.sleep(interval)


def tail(path: Path, lines: int = 40) -> str:
    """The end of a log file, for failure messages."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return f"(no log at {path})"


class StartedAndStopped:
    """A server a test starts and stops: `with Server(...) as server:` runs start() and, always, stop()."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()


def terminate(process: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL if the process has not exited 10 s later."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class PostgresCluster:
    """A PostgreSQL cluster of its own (initdb) under root_dir, reachable as user postgres with trust auth.

    initdb and the server refuse to run as root, so as root they run as the postgres user.
    """

    def __init__(self, root_dir: Path):
        self.bin_dir = self._find_bin_dir()
        self.dir = root_dir / "postgres"
        self.data_dir = self.dir / "data"
        self.socket_dir = self.dir / "sockets"
        self.log = self.dir / "server.log"
        self.port = free_port()
        self.running = False

    @staticmethod
    def _find_bin_dir() -> Path:
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
        found = candidates[-1] if candidates else shutil.which("initdb")
        if not found:
            raise RuntimeError(
                "initdb not found (looked in /usr/lib/postgresql/*/bin and on the PATH): "
                "the outage tests need PostgreSQL's server binaries to start a cluster of their own."
            )
        return Path(found).parent

    def _run_as_owner(self, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        # Fixed binaries with arguments built here, no shell.
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        if result.returncode != 0:
            raise RuntimeError(
                f"{args[0]} failed ({result.returncode}):\n{result.stdout}{result.stderr}\n{tail(self.log)}"
            )

    def init(self) -> None:
        self.socket_dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.socket_dir, "postgres", "postgres")
        self._run_as_owner(
            "initdb", "-D", str(self.data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        try:
            self._run_as_owner("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log), "-o", options, "-w", "start")
        except BaseException:
            # pg_ctl may give up waiting for a server that comes up after all: never leave one behind.
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run_as_owner("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
            raise
        self.running = True

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as when the database restarts or fails over."""
        self._run_as_owner("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
        self.running = False

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True)

    def create_database(self, dbname: str) -> None:
        with self.connect() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))

    def __enter__(self):
        self.init()
        self.start()
        return self

    def __exit__(self, *exc_info):
        if self.running:
            self.stop()


class RedisServer(StartedAndStopped):
    """A redis-server; start() after stop() reuses the same port. With persistent=True it writes every
    change to its append-only file and reads it back when started again (as a production Redis with AOF
    does): what it held before a stop comes back."""

    def __init__(self, root_dir: Path, *, persistent: bool = False):
        self.persistent = persistent
        self.dir = root_dir / "redis"
        self.dir.mkdir()
        self.log = self.dir / "server.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            raise RuntimeError("redis-server not found on the PATH: the outage tests need one of their own.")
        command = [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir)]
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else ["--appendonly", "no"]
        command += ["--save", "", *persistence, "--daemonize", "no"]
        with self.log.open("ab") as log:
            # A fixed binary with arguments built here, no shell.
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            wait_until(self._pong, timeout=10, what=f"redis-server on port {self.port}")
        except BaseException:
            self.stop()
            raise

    def _pong(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server exited ({self.process.returncode}):\n{tail(self.log)}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def pause(self) -> None:
        """Freeze the server: it accepts connections (the kernel does) but never answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGCONT)  # a frozen server cannot act on SIGTERM
        terminate(self.process)
        self.process = None


class AppServer(StartedAndStopped):
    """The app under gunicorn (the project's gunicorn.conf.py), as in production but on a loopback port.

    The settings are the project's, with DEBUG off; only STATIC_ROOT moves to a temporary
    directory (see _write_settings), so that collectstatic never writes into the checkout.
    """

    def __init__(self, root_dir: Path, *, database_url: str, redis_url: str, secret_key: str):
        self.dir = root_dir / "app"
        self.dir.mkdir()
        self.log = self.dir / "gunicorn.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._write_settings()
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "PYTHONPATH": os.pathsep.join([str(self.dir), str(PROJECT_DIR)]),
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "outage_settings",
            "DEBUG": "False",
            "HTTPS": "False",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
        }

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _write_settings(self) -> None:
        # The production settings need collected static files (the manifest storage); the only
        # setting changed is where they are collected to.
        static_root = self.dir / "static"
        (self.dir / "outage_settings.py").write_text(
            f"from edtech.settings import *  # noqa: F403\n\nSTATIC_ROOT = {str(static_root)!r}\n"
        )

    def manage(self, *args: str, timeout: float = 120) -> str:
        """Run a manage.py command with the server's environment; its output."""
        command = [sys.executable, str(PROJECT_DIR / "manage.py"), *args]
        # The venv's Python on the project's manage.py, no shell.
        result = subprocess.run(  # noqa: S603
            command, cwd=PROJECT_DIR, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return result.stdout

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "--config", str(PROJECT_DIR / "gunicorn.conf.py")]
        command += ["--bind", f"127.0.0.1:{self.port}", "edtech.wsgi:application"]
        with self.log.open("ab") as log:
            # The venv's gunicorn with the project's config, no shell. Its own session, so that
            # a stuck master can be killed with its workers (by process group id).
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=PROJECT_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            wait_until(self._answers, timeout=30, what=f"gunicorn on port {self.port}")
        except BaseException:
            self.stop()
            raise

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{tail(self.log)}")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(f"{self.base_url}/healthz", timeout=10):
                return True
        except urllib.error.HTTPError:
            return True  # any HTTP answer means a worker is serving
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # A worker left behind by a master that died would still be in the server's process group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None


class NginxServer(StartedAndStopped):
    """nginx with the project's site (deploy/nginx/learning-quest.conf.template) in front of an upstream,
    on a free loopback port, under a directory of its own: as in production, but started by a test."""

    def __init__(self, root_dir: Path, *, upstream: str, media_root: Path | None = None):
        executable = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.access(executable, os.X_OK):
            raise RuntimeError("nginx not found: the stack tests need Debian's nginx (apt-get install nginx-light).")
        self.executable = executable
        self.dir = root_dir / "nginx"
        self.dir.mkdir()
        os.chmod(self.dir, 0o777)  # noqa: S103 - nginx's workers (nobody) write their temporary files here
        self.log = self.dir / "nginx.log"
        self.port = free_port()
        site = subprocess.run(  # noqa: S603 - the project's own script, fixed arguments
            [str(PROJECT_DIR / "deploy" / "render-nginx"), upstream, str(self.port)],
            env={**os.environ, "MEDIA_ROOT": str(media_root or root_dir / "media")},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (self.dir / "site.conf").write_text(site)
        temp_paths = "\n".join(
            f"    {kind}_temp_path {self.dir}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (self.dir / "nginx.conf").write_text(
            f"pid {self.dir}/nginx.pid;\nerror_log stderr;\nworker_processes 1;\n"
            f"events {{ worker_connections 256; }}\n"
            # As Debian's and the official image's nginx.conf: the types of the files nginx serves (/media/).
            f"http {{\n{temp_paths}\n    include /etc/nginx/mime.types;\n    include {self.dir}/site.conf;\n}}\n"
        )
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [self.executable, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"), "-g", "daemon off;"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        wait_until(self._listening, timeout=10, what=f"nginx on port {self.port}")

    def _listening(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"nginx exited ({self.process.returncode}):\n{tail(self.log)}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        terminate(self.process)
        self.process = None
