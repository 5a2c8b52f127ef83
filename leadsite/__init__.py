"""Leadsite: browse, filter and export Craigslist leads from the Django admin."""

__version__ = "1.0.0"
