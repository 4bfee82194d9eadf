"""The `clean-news` script and `python -m cleaner`.

Ctrl-C is handled from the first moment, before the command's modules load, so that it always
ends the run with status 130 and one line."""

from __future__ import annotations

import sys

from cleaner.run.interrupt import (
    EXIT_INTERRUPTED,
    Interrupted,
    install,
    raise_if_interrupted,
    say_interrupted,
)


def main() -> None:
    install()
    try:
        from cleaner.commands.cli import main as run

        try:
            run()
        finally:
            raise_if_interrupted()  # a Ctrl-C dropped after the last document still counts
    except (Interrupted, KeyboardInterrupt):
        say_interrupted()
        sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
