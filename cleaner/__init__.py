"""clean-news: strip boilerplate from scraped news and emit clean article text with metadata."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`__version__`, looked up on first use: the package metadata is slow to read, and the
    entry point must be quick to reach the point where Ctrl-C is handled."""
    if name != "__version__":
        raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("clean-news")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+source"
    globals()["__version__"] = found
    return found
