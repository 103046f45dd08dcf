"""The pool's check before a checkout (edtech.db_pool): a round trip only for a connection the server ended."""

import select
import time

import psycopg
import pytest
from django.db import connection

from edtech.db_pool import check_connection

pytestmark = pytest.mark.django_db(transaction=True)


def connect() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    )


def last_statement(pid: int) -> str:
    with connect() as observer:
        return observer.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]


def test_a_live_connection_is_handed_out_without_a_round_trip():
    with connect() as conn:
        conn.execute("SELECT 42")
        check_connection(conn)
        assert last_statement(conn.info.backend_pid) == "SELECT 42"  # the pool's own check would have sent ""
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_a_connection_the_server_ended_fails_the_check():
    with connect() as conn, connect() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [conn.info.backend_pid])
        deadline = time.monotonic() + 5
        while not select.select([conn.fileno()], [], [], 0.05)[0]:  # the server's goodbye arrives
            assert time.monotonic() < deadline, "the terminated connection never became readable"
        with pytest.raises(psycopg.OperationalError):
            check_connection(conn)


def test_a_closed_connection_fails_the_check():
    conn = connect()
    conn.close()
    with pytest.raises(ConnectionError):
        check_connection(conn)
