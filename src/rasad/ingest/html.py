"""HTML pages to reports through trafilatura: main text, title, date and author, no comments."""

from __future__ import annotations

from rasad.extras import need
from rasad.ingest.fields import parse_published, web_url
from rasad.ingest.identity import content_hash
from rasad.model import Report


def report_from_html(html: str, *, article_id: str | None, origin: str | None,
                     url: str | None = None, published: str | None = None,
                     source: str | None = None) -> Report:
    trafilatura = need("trafilatura", "html", "reading HTML pages")
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_recall=True, url=url)
    meta = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = meta.get("text") or ""
    title = meta.get("title")
    if title and text and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return Report(
        article_id=article_id or (content_hash(text)[:16] if text else "empty"),
        text=text, raw=text, title=title, url=_page_url(url or meta.get("url")),
        published=published or _page_date(meta.get("date")), source=source or meta.get("sitename"),
        author=meta.get("author"), origin=origin,
    )


def _page_date(value: object) -> str | None:
    """The date a page's metadata gives, when it is a readable one (metadata is a hint, not input)."""
    try:
        return parse_published(value)
    except ValueError:
        return None


def _page_url(value: object) -> str | None:
    return value if web_url(value) else None  # type: ignore[return-value]
