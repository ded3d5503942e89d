"""Long reads on a worker: their own read-only connection, and an interrupt that ends a running
query at once (a page closing, the program quitting at Kreis scale)."""

from __future__ import annotations

import threading

import pytest

from paktdesk.ui import read_jobs, workers
from paktdesk.ui.workers import Cancelled

ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


def test_interrupt_ends_a_running_query(demo_file):
    started = threading.Event()
    outcome: list[object] = []

    def work(reader):
        assert reader.read_only
        started.set()
        return reader.store.conn.execute(ENDLESS).fetchone()  # ends only when interrupted

    reading = read_jobs.reading(demo_file, work)

    def run():
        try:
            outcome.append(reading())
        except BaseException as err:  # noqa: BLE001 - the test looks at it
            outcome.append(err)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(30)
    reading.interrupt()
    thread.join(30)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)


def test_a_reading_gives_its_result_and_errors_pass_through(demo_file):
    assert read_jobs.reading(demo_file, lambda reader: reader.profile().name)() == "Gemeinde Lindenbach"
    with pytest.raises(ZeroDivisionError):
        read_jobs.reading(demo_file, lambda reader: 1 / 0)()


def test_job_of_a_closed_page_is_interrupted_and_calls_nothing_back(qtbot, demo_file):
    from PySide6.QtWidgets import QWidget

    page = QWidget()
    started = threading.Event()
    called = []

    def work(reader):
        started.set()
        return reader.store.conn.execute(ENDLESS).fetchone()

    read_jobs.start(page, read_jobs.reading(demo_file, work), name="endlos",
                    on_success=called.append, on_failure=called.append)
    assert started.wait(30)
    page.deleteLater()  # the page goes: the job is told to forget and interrupt
    qtbot.waitUntil(lambda: workers.running_jobs() == 0, timeout=30_000)
    assert called == []
