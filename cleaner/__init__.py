"""clean-news: strip boilerplate from scraped news and emit clean article text with metadata."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("clean-news")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
