import signal
import threading

import pytest

from tests.security.figures import FIGURES


class DeadlineExceeded(Exception):
    pass


@pytest.fixture
def deadline(request):
    """Fail a test that runs past `seconds` instead of hanging the whole run: a hung export is a bug.

    20 seconds unless parametrized indirectly, e.g. @pytest.mark.parametrize("deadline", [90], indirect=True).

    SIGALRM interrupts even a blocked lock or socket wait in the main thread, so a deadlocked writer
    raises DeadlineExceeded where it is stuck (the traceback shows where).
    """
    seconds = getattr(request, "param", 20)
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise DeadlineExceeded(f"The test ran for more than {seconds} s: something hangs (a deadlock?).")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    terminalreporter.section("security figures")
    for name, count in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{name}: {count}")
