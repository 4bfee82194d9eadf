"""Ctrl-C: the first one ends the run through `Interrupted`, a second one at once.

Click turns a KeyboardInterrupt into "Aborted!" with status 1 and an empty line; an exception
of our own passes through it, so that the entry point can say one line and exit 130 whatever
was running (even the loading of the language profiles).

Python drops an exception raised while a finalizer (`__del__`) runs, after printing it; a
Ctrl-C that lands there is kept instead and raised again at the next document.
"""

from __future__ import annotations

import os
import signal
import sys

EXIT_INTERRUPTED = 130


class Interrupted(BaseException):
    """Raised in the main process by the first Ctrl-C (SIGINT)."""


_swallowed = False


def _on_sigint(signum: int, frame: object) -> None:
    signal.signal(signal.SIGINT, _exit_now)  # cleanup must not be cut short by a second line
    raise Interrupted


def _exit_now(signum: int, frame: object) -> None:
    os._exit(EXIT_INTERRUPTED)


def _keep_dropped_interrupt(unraisable: sys.UnraisableHookArgs) -> None:
    global _swallowed
    if isinstance(unraisable.exc_value, Interrupted):
        _swallowed = True
    else:
        sys.__unraisablehook__(unraisable)


def raise_if_interrupted() -> None:
    """Raise the Ctrl-C that a finalizer swallowed; called between documents."""
    global _swallowed
    if _swallowed:
        _swallowed = False
        raise Interrupted


def install() -> None:
    signal.signal(signal.SIGINT, _on_sigint)
    sys.unraisablehook = _keep_dropped_interrupt


def say_interrupted(message: str = "clean-news: interrupted") -> None:
    """The one line; a closed or broken stderr must not turn it into a traceback."""
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
