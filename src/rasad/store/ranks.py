"""The review queue's order as one number per event, so the queue reads an index in order.

What most needs a person comes first: news before background, least confident first (in tenths,
an unknown confidence first of all), then the highest tolls (an unknown toll after every known one).
"""

from __future__ import annotations

TOLL_CAP = 999_999


def review_rank(rec: dict) -> int:
    """Lower is reviewed sooner. Background × 10⁹ + (confidence in tenths + 1, or 0) × 10⁷ + toll key
    (TOLL_CAP − toll for a known toll, TOLL_CAP + 1 for an unknown one)."""
    confidence = rec.get("confidence")
    tenths = 0 if not isinstance(confidence, int | float) else int(min(1.0, max(0.0, confidence)) * 10) + 1
    total = (rec.get("fatalities") or {}).get("total")
    toll = TOLL_CAP - min(TOLL_CAP, total) if isinstance(total, int) and total >= 0 else TOLL_CAP + 1
    return bool(rec.get("background")) * 10**9 + tenths * 10**7 + toll
