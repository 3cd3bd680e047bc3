"""Readers for every input kind: .txt, .html, .jsonl/.json, .csv, folders, stdin and URLs.

`iter_inputs` yields a `Report` or an `IngestError` per item, so a caller can report a bad
item in one line and go on with the batch.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasad.extras import MissingExtra
from rasad.ingest import html as html_reader
from rasad.ingest.decode import DecodeError, charset_of, decode
from rasad.ingest.fetch import MAX_BYTES, FetchError, fetch_url
from rasad.ingest.fields import parse_published, web_url
from rasad.ingest.furniture import FurnitureRules, load_rules, mask
from rasad.ingest.identity import content_hash, fingerprint
from rasad.model import Report
from rasad.profile import Profile

TEXT_EXT = {".txt", ".text", ".md"}
HTML_EXT = {".html", ".htm", ".xhtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_EXT | HTML_EXT | JSONL_EXT | {".json", ".csv"}


@dataclass
class IngestError:
    item: str
    message: str

    def __str__(self) -> str:
        return f"error: {self.item}: {self.message}"


Item = Report | IngestError


def _is_arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 20:
        return False
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff")
    return arabic / len(letters) >= 0.3


def finish(report: Report, rules: FurnitureRules | None = None, identify: bool = True) -> Item:
    """Mask page furniture and validate a report built by any reader; fingerprint it for the store
    (`identify`; a cluster worker that stores nothing leaves that to `rasad load`)."""
    report.text = mask(report.raw or report.text, report.title, rules)
    if not report.text.strip():
        return IngestError(report.origin or report.article_id, "no text")
    if not _is_arabic(report.text):
        return IngestError(report.origin or report.article_id, "not Arabic text (too few Arabic letters)")
    if identify:
        report.fingerprint = fingerprint(report)
    return report




def read_text_report(text: str, *, article_id: str | None = None, origin: str | None = None,
                     title: str | None = None, **meta: str | None) -> Report:
    """A plain-text report: the headline is the first line unless a title is given."""
    if title is None:
        first = text.strip().split("\n", 1)[0].strip()
        title = first or None
    return Report(
        article_id=article_id or content_hash(text)[:16],
        text=text, raw=text, title=title, origin=origin,
        url=meta.get("url") if web_url(meta.get("url")) else None,
        published=parse_published(meta.get("published")), source=meta.get("source"),
        author=meta.get("author"),
    )




def _from_html(html: str, name: str, **fields: Any) -> Item:
    """A report from an HTML page; without the 'html' extra, one error line for the item."""
    try:
        return html_reader.report_from_html(html, **fields)
    except MissingExtra as exc:
        return IngestError(name, str(exc))


def from_record(rec: dict, origin: str, fallback_id: str | None) -> Item:
    """A report from a JSON/CSV record with fields id, text or html, title, url, published, source."""
    if not isinstance(rec, dict):
        return IngestError(origin, "record is not an object")
    rid = rec.get("id") or rec.get("article_id")
    meta = {k: (str(rec[k]) if rec.get(k) not in (None, "") else None) for k in ("url", "published", "source")}
    try:
        meta["published"] = parse_published(meta["published"])
    except ValueError as exc:
        return IngestError(origin, str(exc))
    title = str(rec["title"]) if rec.get("title") not in (None, "") else None
    if rec.get("text"):
        rep = read_text_report(str(rec["text"]), article_id=str(rid) if rid else None, origin=origin,
                               title=title, **meta)
    elif rec.get("html"):
        rep = _from_html(str(rec["html"]), origin, article_id=str(rid) if rid else None, origin=origin, **meta)
        if isinstance(rep, IngestError):
            return rep
        if title:
            rep.title = title
    else:
        return IngestError(origin, "record has neither 'text' nor 'html'")
    if not rid and fallback_id:
        rep.article_id = fallback_id
    return rep


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DecodeError(f"too large ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB cap)")
    return path.read_bytes()


def read_file(path: Path, article_id: str | None = None) -> Iterator[Item]:
    """The reports in one file; a text or HTML file is one report, named `article_id` (default: its name)."""
    name = _printable(str(path))
    article_id = article_id or _printable(path.name)
    ext = path.suffix.lower()
    if not path.is_file():  # a FIFO, socket or device would block or never end
        yield IngestError(name, "not a regular file")
        return
    if (ext in JSONL_EXT or ext == ".csv") and _utf8_head(path):  # streamed: the cap is per record
        yield from (_stream_jsonl(path, name) if ext in JSONL_EXT else _stream_csv(path, name))
        return
    try:
        data = _read_bytes(path)
        if ext in JSONL_EXT or ext == ".json":
            yield from read_json_bytes(data, name, lines=ext in JSONL_EXT)
            return
        text = decode(data, _meta_charset(data) if ext in HTML_EXT else None)
    except (DecodeError, OSError) as exc:
        yield IngestError(name, str(exc))
        return
    if ext == ".csv":
        yield from read_csv_text(text, name)
    elif ext in HTML_EXT or (ext not in TEXT_EXT and text.lstrip()[:1] == "<"):
        yield _from_html(text, name, article_id=article_id, origin=name)
    else:
        yield read_text_report(text, article_id=article_id, origin=name)


def read_json_bytes(data: bytes, name: str, lines: bool) -> Iterator[Item]:
    try:
        text = decode(data)
    except DecodeError as exc:
        yield IngestError(name, str(exc))
        return
    if not lines and text.lstrip()[:1] in "[{":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            doc = None  # a .json file may still be JSON Lines
        except RecursionError:
            yield IngestError(name, "JSON nested too deeply")
            return
        if doc is not None:
            records = doc if isinstance(doc, list) else [doc]
            for i, rec in enumerate(records, 1):
                yield from_record(rec, f"{name}#{i}", None)
            return
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield _json_line(line, f"{name}:{lineno}")


def json_record(line: str) -> dict | str:
    """One JSON Lines record: its object, or why it is none (the error line's words). Every reader of
    JSON Lines parses a line here, the built-in engines and Dask's alike."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"malformed JSON ({exc.msg})"
    except RecursionError:
        return "JSON nested too deeply"
    return rec if isinstance(rec, dict) else "record is not an object"


def _json_line(line: str, where: str) -> Item:
    rec = json_record(line)
    return IngestError(where, rec) if isinstance(rec, str) else from_record(rec, where, None)


def _utf8_head(path: Path) -> bool:
    """Whether a file starts as UTF-8 (with or without a BOM): such a file is read as a stream."""
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError:
        return False
    if b"\x00" in head:
        return False  # UTF-16/32 or binary: read whole, as any file
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # only a character cut at the end of the sample
    return True


def _stream_jsonl(path: Path, name: str) -> Iterator[Item]:
    """JSON Lines of any size, a record at a time; a record over the cap is one error line."""
    with path.open("rb") as fh:
        for lineno, line in enumerate(_capped_lines(fh), 1):
            where = f"{name}:{lineno}"
            if line is None:
                yield IngestError(where, f"record too large (over the {MAX_BYTES / 1e6:.0f} MB cap)")
                continue
            if not line.strip():
                continue
            try:
                text = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield IngestError(where, f"invalid UTF-8 at byte {exc.start}")
                continue
            yield _json_line(text, where)


def _capped_lines(fh: io.BufferedReader) -> Iterator[bytes | None]:
    """The file's lines, each read up to the cap; a longer one is skipped unread and given as None."""
    while line := fh.readline(MAX_BYTES + 1):
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _stream_csv(path: Path, name: str) -> Iterator[Item]:
    """A CSV of any size, a row at a time (a field may not pass the cap); bytes that are not UTF-8
    become U+FFFD rather than costing the file."""
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
        yield from read_csv_lines(fh, name)


def read_csv_text(text: str, name: str) -> Iterator[Item]:
    return read_csv_lines(io.StringIO(text), name)


def read_csv_lines(lines: Iterable[str], name: str) -> Iterator[Item]:
    """A report per row (id, text or html, title, url, published, source); a field may not pass the cap."""
    csv.field_size_limit(MAX_BYTES)
    try:
        for rowno, row in enumerate(csv.DictReader(lines), 2):
            yield from_record(row, f"{name}:{rowno}", None)
    except csv.Error as exc:
        yield IngestError(name, f"malformed CSV ({exc})")


def _read_stdin(stdin: io.TextIOBase | None) -> bytes | IngestError:
    """Standard input, up to the size cap of one report; closed or missing is an error line."""
    try:
        source = stdin if stdin is not None else sys.stdin.buffer
        data = source.read(MAX_BYTES + 1)
    except (ValueError, OSError, AttributeError) as exc:
        return IngestError("<stdin>", f"standard input is not readable ({exc.__class__.__name__})")
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    if len(raw) > MAX_BYTES:
        return IngestError("<stdin>", f"too large (over the {MAX_BYTES / 1e6:.0f} MB cap)")
    return raw


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a meta tag near its top."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def _walk(folder: Path) -> Iterator[Path | IngestError]:
    """Files under a folder in a stable order; a sub-folder that cannot be read is an error line."""
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        while errors:
            exc = errors.pop()
            yield IngestError(_printable(str(exc.filename or root)), f"cannot read folder ({exc.strerror})")
        dirs.sort()
        for f in sorted(files):
            if not f.startswith("."):
                yield Path(root) / f
    for exc in errors:
        yield IngestError(_printable(str(exc.filename or folder)), f"cannot read folder ({exc.strerror})")


def _local(spec: str) -> bool:
    """An input spec naming a file or folder, not standard input ("-") or a URL."""
    return spec != "-" and not spec.startswith(("http://", "https://"))


def count_items(inputs: list[str]) -> int | None:
    """How many items the inputs hold, when that is known without reading them: one per text or HTML
    file, one per line of a JSON Lines file (counted in raw bytes). None for stdin, URLs, JSON and CSV
    (a CSV field may hold line breaks), so a progress bar shows no false total."""
    n = 0
    for spec in inputs:
        if not _local(spec):
            return None
        path = Path(spec)
        files = [f for f in _walk(path) if isinstance(f, Path)] if path.is_dir() else [path]
        for f in files:
            counted = _items_in(f)
            if counted is None:
                return None
            n += counted
    return n


def _items_in(path: Path) -> int | None:
    ext = path.suffix.lower()
    if ext in (".json", ".csv"):
        return None
    if ext not in JSONL_EXT:
        return 1
    try:
        with path.open("rb") as fh:
            return sum(1 for line in fh if line.strip()) or 1
    except OSError:
        return 1


def _printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 become U+FFFD (they cannot be stored otherwise)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def iter_inputs(inputs: list[str], stdin: io.TextIOBase | None = None,
                profile: Profile | None = None) -> Iterator[Item]:
    """Every report in the given paths, folders, URLs or '-' (stdin), in a stable order, with the
    profile's page furniture masked."""
    rules = load_rules(profile)
    for item in _raw_items(inputs, stdin):
        yield item if isinstance(item, IngestError) else finish(item, rules)


def _input_root(inputs: list[str]) -> Path | None:
    """The folder all local inputs sit in: a file's report id is its path from there, so two
    "report.txt" in two folders are two reports ("f1/report.txt", "f2/report.txt"), while the files of
    one folder keep their names."""
    local = [Path(s) for s in inputs if _local(s) and Path(s).exists()]
    try:
        return Path(os.path.commonpath([str((p if p.is_dir() else p.parent).resolve()) for p in local])) \
            if local else None
    except ValueError:  # paths on different drives
        return None


def _file_id(path: Path, root: Path | None) -> str | None:
    try:
        return _printable(path.resolve().relative_to(root).as_posix()) if root else None
    except ValueError:
        return None


def _raw_items(inputs: list[str], stdin: io.TextIOBase | None) -> Iterator[Item]:
    root = _input_root(inputs)
    for spec in inputs:
        if spec == "-":
            raw = _read_stdin(stdin)
            if isinstance(raw, IngestError):
                yield raw
                continue
            head = raw.lstrip()[:1]
            if head in (b"{", b"["):
                yield from read_json_bytes(raw, "<stdin>", lines=head == b"{")
                continue
            try:
                yield read_text_report(decode(raw), origin="<stdin>")
            except DecodeError as exc:
                yield IngestError("<stdin>", str(exc))
        elif spec.startswith(("http://", "https://")):
            try:
                body, ctype = fetch_url(spec)
                text = decode(body, charset_of(ctype))
            except (FetchError, DecodeError) as exc:
                yield IngestError(spec, str(exc))
                continue
            if "html" in ctype or text.lstrip()[:1] == "<":
                rep = _from_html(text, spec, article_id=None, origin=spec, url=spec)
            else:
                rep = read_text_report(text, origin=spec, url=spec)
            yield rep
        else:
            path = Path(spec)
            if path.is_dir():
                for f in _walk(path):
                    if isinstance(f, IngestError):
                        yield f
                    else:
                        yield from read_file(f, _file_id(f, root))
            elif path.exists():
                yield from read_file(path, _file_id(path, root))
            else:
                yield IngestError(spec, "no such file or directory")
