"""Renderers: each reads a Result and produces one output format. They never score."""

FORMATS = ("pdf", "json", "md", "csv", "xlsx")  # xlsx: aeo_check.workbook
