"""Catalog and package pages, usage reporting, insurer import, communication kit, budget applications
and the forecast."""
