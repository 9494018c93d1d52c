"""The gunicorn worker `serve` (and the demo) runs: gthread's, whose quick stop runs once however often it is asked."""

from __future__ import annotations

from gunicorn.workers.gthread import ThreadWorker as GthreadWorker


class ThreadWorker(GthreadWorker):
    """gthread's worker, stopped once by SIGINT and SIGQUIT together.

    Ctrl+C in a terminal signals the whole process group, so a worker gets SIGINT from the terminal and, a moment
    later, SIGQUIT from its master, often both before its main thread runs again. Python runs the second handler
    inside the first, and gthread's stop, interrupted while it held its pool's shutdown lock
    (`ThreadPoolExecutor.shutdown`), then waited on that lock for ever, until the master killed it after
    graceful_timeout ("Worker (pid:...) was sent SIGKILL! Perhaps out of memory?"). The first is already stopping
    the worker, so a second is let go."""

    stopping = False

    def handle_quit(self, sig, frame) -> None:
        """SIGINT or SIGQUIT: stop now (gthread's quick stop), once."""
        if self.stopping:
            return
        self.stopping = True
        super().handle_quit(sig, frame)
