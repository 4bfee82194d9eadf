"""Record stage: the JSON Lines record for one document (see `record.schema.json`)."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

from cleaner import __version__
from cleaner.model import Article, SourceDocument
from cleaner.pipeline.segment import join_paragraphs


def record_id(data: bytes) -> str:
    """A stable id from the document's bytes: the same content gets the same id anywhere."""
    return hashlib.sha256(data).hexdigest()[:16]


def _base(source: SourceDocument) -> dict:
    return {
        "id": record_id(source.data),
        "path": source.path,
        "input_format": source.input_format,
        "title": None,
        "subtitle": None,
        "author": None,
        "authors": [],
        "date": None,
        "sitename": None,
        "url": source.url,
        "fetch_date": source.fetch_date,
        "description": None,
        "categories": [],
        "tags": [],
        "image": None,
        "language": None,
        "language_score": None,
        "text": "",
        "kept_lines": [],
        "removed": [],
        "stats": None,
        "error": None,
        "cleaner_version": __version__,
        "settings": None,  # the batch's settings fingerprint, set by the batch
    }


def build_record(source: SourceDocument, article: Article) -> dict:
    body = article.body_lines()
    text = join_paragraphs(body)
    record = _base(source)
    record.update(
        title=article.title,
        subtitle=article.subtitle,
        author="; ".join(article.authors) or None,
        authors=article.authors,
        date=article.date,
        sitename=article.sitename,
        url=source.url or article.url,
        description=article.page.description,
        categories=article.page.categories,
        tags=article.page.tags,
        image=article.page.image,
        language=article.language.code,
        language_score=article.language.score,
        text=text,
        kept_lines=[line.number for line in body],
        removed=[
            {
                "line": element.line,
                "text": element.text,
                "rule": element.rule,
                "reason": element.reason,
                "source": "html",
            }
            for element in article.pruned
        ]
        + [
            {
                "line": line.number,
                "text": line.text,
                "rule": verdict.rule,
                "reason": verdict.reason,
                "source": "text",
            }
            for line in article.lines
            if (verdict := article.verdicts.get(line.number))
        ],
        stats={
            "lines_in": len(article.lines),
            "lines_out": len(body),
            "chars_in": sum(len(line.text) for line in article.lines),
            "chars_out": len(text),
        },
    )
    return record


def error_record(source: SourceDocument, message: str) -> dict:
    record = _base(source)
    record["error"] = message
    return record


def record_schema() -> dict:
    """The JSON Schema that every record validates against, shipped inside the package."""
    schema = resources.files(__package__).joinpath("record.schema.json").read_text("utf-8")
    return json.loads(schema)
