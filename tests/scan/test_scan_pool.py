"""A scan that does not finish (Ctrl-C, SIGTERM, a failed write) stops its helpers at once, spool and all."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType

import pytest

from binance_errors.cli import EXIT_INTERRUPTED, main
from binance_errors.scan import command, pool, spool
from binance_errors.scan.inputs import Source
from binance_errors.scan.pool import helper_pool, stop_now
from binance_errors.scan.progress import Progress
from binance_errors.scan.runner import run
from binance_errors.scan.worker import Options
from binance_errors.scan.writers import Writer

from .conftest import SAMPLE

FORK = multiprocessing.get_context("fork")


@pytest.fixture(autouse=True)
def _no_helper_survives() -> Iterator[None]:
    # A helper left sleeping would hold up the test run's exit for minutes: end it here
    # whatever the test found.
    yield
    for child in multiprocessing.active_children():
        child.kill()
        child.join()


@pytest.fixture
def stops(monkeypatch: pytest.MonkeyPatch) -> list[ProcessPoolExecutor]:
    """The pools that helper_pool stopped at once (instead of waiting for their queue)."""
    stopped: list[ProcessPoolExecutor] = []
    real = pool.stop_now

    def recorded(executor: ProcessPoolExecutor) -> None:
        stopped.append(executor)
        real(executor)

    monkeypatch.setattr(pool, "stop_now", recorded)
    return stopped


def _sleep() -> None:
    time.sleep(600)


def _interrupt_handlers() -> tuple[object, object]:
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)


def _helpers(executor: ProcessPoolExecutor) -> list[BaseProcess]:
    return list(executor._processes.values())  # what stop_now must end


def _ended(helper: BaseProcess) -> bool:
    # The pool's own thread may be reaping the process as we look: give it a moment.
    deadline = time.monotonic() + 10
    while helper.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    return not helper.is_alive()


def _no_helper_left() -> bool:
    return all(_ended(child) for child in multiprocessing.active_children())


def test_stop_now_ends_helpers_in_the_middle_of_their_work() -> None:
    executor = ProcessPoolExecutor(2, mp_context=FORK)
    busy = [executor.submit(_sleep) for _ in range(2)]
    queued = executor.submit(_sleep)
    helpers = _helpers(executor)
    assert len(helpers) == 2 and all(helper.is_alive() for helper in helpers)
    stop_now(executor)
    assert all(_ended(helper) for helper in helpers)
    for future in [*busy, queued]:  # cancelled, or failed by the helpers' end: none left waiting
        assert future.cancelled() or future.exception(timeout=10) is not None


def test_stop_now_uses_terminate_workers_where_the_executor_has_it() -> None:
    class Executor314:
        terminated = False

        def terminate_workers(self) -> None:
            self.terminated = True

    executor = Executor314()
    stop_now(executor)  # type: ignore[arg-type]  # the one method it needs on Python 3.14+
    assert executor.terminated


def test_helpers_leave_interrupts_to_the_main_process() -> None:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise AssertionError("not called")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        with helper_pool(1, FORK, Options()) as executor:
            ignored_interrupt, terminate = executor.submit(_interrupt_handlers).result(timeout=60)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert ignored_interrupt is signal.SIG_IGN  # Ctrl-C reaches the whole process group
    assert terminate is signal.SIG_DFL  # what stop_now sends ends a helper at once


def test_an_exception_stops_the_helpers_without_finishing_their_queue() -> None:
    with pytest.raises(KeyboardInterrupt), helper_pool(2, FORK, Options()) as executor:
        futures = [executor.submit(_sleep) for _ in range(4)]
        helpers = _helpers(executor)
        raise KeyboardInterrupt
    assert all(_ended(helper) for helper in helpers)
    for future in futures:
        assert future.cancelled() or future.exception(timeout=10) is not None


class _Interrupting(Writer):
    """Ctrl-C at the first block a helper parsed, as it is written out."""

    def write(self, jsonl: bytes) -> None:
        pass

    def write_file(self, path: str) -> None:
        raise KeyboardInterrupt

    def close(self) -> None:
        pass


class _TerminatedWhileWriting(_Interrupting):
    """Sends this process SIGTERM at the first block a helper parsed."""

    def write_file(self, path: str) -> None:
        # Without a handler the signal would end the test run itself: fail instead.
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL, "SIGTERM not caught during --jobs 2"
        os.kill(os.getpid(), signal.SIGTERM)


def _scan_by_blocks(writer: Writer) -> None:
    run(
        [Source(str(SAMPLE))],
        Options(),
        writer,
        Progress(sys.stderr, None, enabled=False),
        jobs=2,
        block_size=4_096,
    )


def test_ctrl_c_stops_the_helpers_and_removes_the_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stops: list[ProcessPoolExecutor]
) -> None:
    monkeypatch.setattr(spool, "SHARED_MEMORY", tmp_path)
    with pytest.raises(KeyboardInterrupt):
        _scan_by_blocks(_Interrupting())
    assert len(stops) == 1
    assert list(tmp_path.iterdir()) == []
    assert _no_helper_left()


def test_sigterm_stops_the_helpers_and_removes_the_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stops: list[ProcessPoolExecutor]
) -> None:
    monkeypatch.setattr(spool, "SHARED_MEMORY", tmp_path)
    with pytest.raises(SystemExit) as stopped:
        _scan_by_blocks(_TerminatedWhileWriting())
    assert len(stops) == 1
    assert stopped.value.code == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
    assert _no_helper_left()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # as it was before the scan


class _InterruptedAfterOneFile(Progress):
    def file_done(self) -> None:
        raise KeyboardInterrupt


def test_ctrl_c_stops_the_helpers_scanning_whole_files(tmp_path: Path, stops: list[ProcessPoolExecutor]) -> None:
    copies = []
    for number in range(6):
        copy = tmp_path / f"copy-{number}.log.gz"
        copy.write_bytes(SAMPLE.read_bytes())
        copies.append(Source(str(copy)))
    with pytest.raises(KeyboardInterrupt):
        run(
            copies,
            Options(records=False),
            _Interrupting(),
            _InterruptedAfterOneFile(sys.stderr, None, enabled=False),
            jobs=2,
        )
    assert len(stops) == 1
    assert _no_helper_left()


def test_the_command_reports_an_interrupt_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "run_command", interrupted)
    assert main(["scan", str(SAMPLE)]) == EXIT_INTERRUPTED
    err = capsys.readouterr().err
    assert err.strip() == "binance-errors: interrupted"
