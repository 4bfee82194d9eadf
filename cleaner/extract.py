"""Extract stage (HTML only): the page's main content as text, plus the metadata it declares.

trafilatura finds the main content and reads the metadata (it bundles htmldate and courlan);
its text then goes through the same line stages as a text document.
"""

from __future__ import annotations

import trafilatura

from cleaner.model import PageMetadata


def extract_html(html: str) -> tuple[str, PageMetadata]:
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True
    )
    if document is None:
        return "", PageMetadata()
    page = PageMetadata(
        title=document.title or None,
        author=document.author or None,
        date=document.date or None,
        sitename=document.sitename or None,
        url=document.url or None,
    )
    return document.text or "", page
