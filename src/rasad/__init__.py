"""rasad: Arabic conflict reports to structured, geocoded, source-linked event records.

    from rasad import extract, load_gazetteer
    result = extract(text, load_gazetteer(), published="2022-11-06")
    result.events, result.reports, result.to_frame()
    for done in extract_batch(["reports/"], workers=2): done.events   # many, with processes
"""

from rasad.engines.pool import batch as extract_batch
from rasad.extract import Result, extract_report
from rasad.geo.gazetteer import load as load_gazetteer
from rasad.process import extract_text as extract
from rasad.profile import Profile

__all__ = ["Profile", "Result", "extract", "extract_batch", "extract_report", "load_gazetteer"]
__version__ = "0.1.0"
