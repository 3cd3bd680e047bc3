"""Bytes to text for Arabic news inputs: UTF-8 (BOM or not), UTF-16, windows-1256, ISO-8859-6."""

from __future__ import annotations

import codecs

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


def decode(data: bytes) -> str:
    """Decode report bytes; raise DecodeError with a short reason when they are not text."""
    if not data.strip():
        raise DecodeError("empty input")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16")
    utf16 = _looks_utf16(data)
    if utf16:
        return _strict(data, utf16)
    if b"\x00" in data[:8000]:
        raise DecodeError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _has_utf8_multibyte(data):
            raise DecodeError(f"invalid UTF-8 at byte {exc.start}") from None
    return _legacy(data)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {encoding} at byte {exc.start}") from None


def _has_utf8_multibyte(data: bytes) -> bool:
    """True when the bytes hold well-formed UTF-8 multi-byte sequences (so bad bytes are corruption)."""
    sample = data[:20000]
    good = 0
    i = 0
    while i < len(sample) - 1:
        b = sample[i]
        if 0xC2 <= b <= 0xDF and 0x80 <= sample[i + 1] <= 0xBF:
            good += 1
            i += 2
            continue
        i += 1
    return good >= 3


def _legacy(data: bytes) -> str:
    """Legacy single-byte Arabic: pick the code page giving the most Arabic letters."""
    best: tuple[float, str] | None = None
    for enc in ("cp1256", "iso-8859-6"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _arabic_ratio(text)
        if best is None or score > best[0]:
            best = (score, text)
    if best and best[0] > 0.3:
        return best[1]
    guess = from_bytes(data).best()
    if guess is None:
        raise DecodeError("binary or undecodable content")
    return str(guess)
