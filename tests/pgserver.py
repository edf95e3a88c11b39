"""A throw-away PostgreSQL server for the tests (session fixture ``pg_url``).

When ``SOCIALFUND_TEST_PG_URL`` is set (CI with a service container, say) that URL is used
as is. Otherwise the fixture runs Debian's ``initdb`` into a fresh temp dir, starts the
server with ``pg_ctl`` on 127.0.0.1 (a free port; unix socket inside the temp dir, so it
never collides with a system cluster), creates a database and yields a
``postgresql+psycopg://`` URL; the server is stopped and the dir removed at the end.

initdb refuses to run as root, so as root every server command runs as the unprivileged
``postgres`` user (created by the Debian package) via ``runuser``; the temp dir is handed
to that user. When PostgreSQL is not installed the fixture FAILS with the command that
installs it: the PostgreSQL tests are part of the suite, not optional.

Usage in a test module: ``from pgserver import pg_url  # noqa: F401``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ENV_URL = "SOCIALFUND_TEST_PG_URL"
INSTALL_HINT = ("PostgreSQL server binaries not found (looked for /usr/lib/postgresql/*/bin/initdb and "
                "initdb on PATH). Run the README test command `bash scripts/test.sh` as root, or "
                "`apt-get install -y postgresql`, or set SOCIALFUND_TEST_PG_URL to a server you own.")
DB_NAME = "socialfund_test"


def find_pg_bin() -> Path | None:
    """Directory holding initdb/pg_ctl/postgres: the newest Debian version, else PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if candidates:
        return Path(candidates[-1]).parent
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(cmd: list[str]) -> tuple[list[str], str]:
    """The command line that runs ``cmd`` unprivileged, and the user name it runs as."""
    if os.geteuid() != 0:
        return cmd, pwd.getpwuid(os.geteuid()).pw_name
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root and there is no 'postgres' user to run initdb as "
                    "(the Debian postgresql package creates it): apt-get install -y postgresql")
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--", *cmd], "postgres"


def _run(cmd: list[str], what: str, timeout: float = 120) -> None:
    full, _ = _as_server_user(cmd)
    proc = subprocess.run(full, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f"PostgreSQL {what} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")


class TempServer:
    """One initdb'ed cluster in a temp dir; ``start()`` returns the SQLAlchemy URL."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="socialfund-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.log = self.root / "server.log"
        self.port = _free_port()
        _, self.user = _as_server_user([])
        if os.geteuid() == 0:  # hand the whole dir to the unprivileged server user
            pw = pwd.getpwnam(self.user)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self.sock.mkdir()
        if os.geteuid() == 0:
            os.chown(self.sock, pw.pw_uid, pw.pw_gid)

    def start(self) -> str:
        _run([str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
              "-E", "UTF8", "--locale=C", "--no-sync"], "initdb")
        # fsync off + small shared buffers: a test server, fast and modest on a shared machine
        opts = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.sock} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                "-c shared_buffers=32MB")
        _run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "-t", "60",
              "start"], "server start")
        _run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, DB_NAME],
             "createdb")
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{DB_NAME}"

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            full, _ = _as_server_user([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                                       "stop"])
            subprocess.run(full, capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a PostgreSQL database for this test session (fails, never skips, without one)."""
    given = os.environ.get(ENV_URL)
    if given:
        yield given
        return
    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.fail(INSTALL_HINT)
    server = TempServer(bin_dir)
    try:
        url = server.start()
        deadline = time.monotonic() + 30
        import psycopg

        while True:  # pg_ctl -w already waited; make sure the TCP listener answers too
            try:
                psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        server.stop()


def fresh_pg_database(base_url: str, name: str) -> str:
    """Drop and re-create database ``name`` on the server of ``base_url``; return its URL.
    Lets tests that need an empty schema share one server."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)
