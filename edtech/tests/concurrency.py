"""Running work in real threads at once, each with its own database connection: the concurrency tests' tool."""

import threading
import time

from django.db import connection

THREADS = 8
# Seconds a thread may wait at the start line or for locks; a thread still running after this
# is stuck (a lock that is never released), and the test fails instead of hanging.
TIMEOUT = 10


def run_together(*jobs):
    """Run each job in its own thread and return their results, in order.

    A job is called with `start`, which it calls when ready: every job passes `start` at the
    same moment (a barrier). Each thread uses its own database connection, taken from the pool
    before the start line and returned to it at the end. Exceptions raised in the threads are
    re-raised here, with their tracebacks, as one ExceptionGroup.
    """
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = []

    def start():
        barrier.wait(timeout=TIMEOUT)

    def run(index, job):
        try:
            connection.ensure_connection()
            results[index] = job(start)
        except Exception as error:
            barrier.abort()  # a failed thread must not keep the others waiting at the start line
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job), daemon=True) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 2 * TIMEOUT
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"threads still running after {2 * TIMEOUT} s (a lock never released?): {stuck}"
    if errors:
        raise ExceptionGroup(f"{len(errors)} of {len(jobs)} threads failed", errors)
    return results


def at_once(threads: int, call) -> list:
    """call() in this many threads, started together (no database connection of their own): their results."""
    results: list = [None] * threads
    start = threading.Barrier(threads)

    def run(index: int) -> None:
        start.wait(timeout=TIMEOUT)
        results[index] = call()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=2 * TIMEOUT)
    return results
