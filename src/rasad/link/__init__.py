"""Linking events: the comparison of two events (`compare`) that merging within a report, linking
reports of one incident and evaluation share."""
