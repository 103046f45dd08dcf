"""The check the database pool runs on a connection before it hands it out (settings: OPTIONS["pool"]).

psycopg_pool's own check is a round trip to the server on every checkout, that is on every request that
queries. A connection the server has ended (a restart, an administrator's or an idle timeout's
termination) has something to read on its socket: the server's goodbye, or the end of the stream. So the
round trip is made only then, and a connection with nothing to read is handed out as it is. What this does
not see, a peer gone without a word (a host lost, a firewall dropping the connection), the round trip would
not see either before the TCP timeout: connect_timeout and the pool's timeout bound both.
"""

import select

from psycopg import Connection
from psycopg_pool import ConnectionPool


def check_connection(conn: Connection) -> None:
    """Return quietly if the connection looks alive; else check it with a round trip (which raises if dead)."""
    if conn.closed:
        raise ConnectionError("the connection is closed")
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:
        ConnectionPool.check_connection(conn)
