"""Bytes to text for Arabic news inputs: UTF-8 (BOM or not), UTF-16, UTF-32, windows-1256,
ISO-8859-6, and any charset the source declares."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    pass


def _arabic_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u0600" <= c <= "\u06ff") / len(letters)


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    # Arabic in UTF-16 has 0x06 high bytes rather than NULs; count those too.
    even_hi = sum(1 for b in sample[0::2] if b in (0, 6)) / (len(sample) / 2)
    odd_hi = sum(1 for b in sample[1::2] if b in (0, 6)) / (len(sample) / 2)
    if odd_hi > 0.6 and even_nul < 0.05:
        return "utf-16-le"
    if even_hi > 0.6 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode report bytes; raise DecodeError with a short reason when they are not text. A BOM
    decides first, then the charset the source declared (HTTP, a meta tag), then UTF-32/16 by their
    zero bytes, UTF-8, and last the legacy Arabic code pages (windows-1256, ISO-8859-6)."""
    if not data.strip():
        raise DecodeError("empty input")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):] if enc == "utf-8" else data, enc)
    if declared:
        text = _declared(data, declared)
        if text is not None:
            return text
    wide = _looks_utf32(data) or _looks_utf16(data)
    if wide:
        return _strict(data, wide)
    if b"\x00" in data[:8000]:
        raise DecodeError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            raise DecodeError(f"invalid UTF-8 at byte {exc.start}") from None
    return _legacy(data)


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def charset_of(content_type: str | None) -> str | None:
    """The charset an HTTP Content-Type declares ("text/html; charset=windows-1256")."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"\'')
    return None


def _declared(data: bytes, declared: str) -> str | None:
    """The bytes in the declared charset, when it is a known one and they decode in it."""
    try:
        codecs.lookup(declared)
        return data.decode(declared)
    except (LookupError, UnicodeDecodeError):
        return None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {encoding} at byte {exc.start}") from None


def _looks_utf32(data: bytes) -> str | None:
    sample = data[:8000]
    n = len(sample) // 4
    if n < 4:
        return None
    zero_hi = sum(1 for i in range(n) if sample[4 * i + 2] == 0 and sample[4 * i + 3] == 0) / n
    zero_lo = sum(1 for i in range(n) if sample[4 * i] == 0 and sample[4 * i + 1] == 0) / n
    return "utf-32-le" if zero_hi > 0.9 else "utf-32-be" if zero_lo > 0.9 else None


def _mostly_utf8(data: bytes) -> bool:
    """Whether the high bytes mostly form UTF-8 sequences (so the bad ones are corruption), as Arabic
    in UTF-8 does and a legacy code page does only by chance."""
    sample = data[:20000]
    high = sum(1 for b in sample if b >= 0x80)
    if high == 0:
        return True
    good = 0
    i = 0
    while i < len(sample):
        n = _utf8_length(sample, i)
        if n > 1:
            good += n
            i += n
        else:
            i += 1
    return good / high >= 0.9


def _utf8_length(data: bytes, i: int) -> int:
    """The length of a well-formed UTF-8 multi-byte sequence at i (0 when there is none)."""
    b = data[i]
    n = 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
    if n and i + n <= len(data) and all(0x80 <= data[i + k] <= 0xBF for k in range(1, n)):
        return n
    return 0


_ARTICLE = re.compile(r"(?<!\w)ال\w")


def _legacy(data: bytes) -> str:
    """Legacy single-byte Arabic: the code page whose reading has the most Arabic words (the article
    "ال" starts far more words in the right one); charset-normalizer when neither reads as Arabic."""
    readings = []
    for enc in ("cp1256", "iso-8859-6"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        readings.append((len(_ARTICLE.findall(text)), _arabic_ratio(text), text))
    best = max(readings, key=lambda r: (r[0], r[1]), default=None)
    if best and best[1] > 0.3:
        return best[2]
    guess = from_bytes(data).best()
    if guess is None:
        raise DecodeError("binary or undecodable content")
    return str(guess)
