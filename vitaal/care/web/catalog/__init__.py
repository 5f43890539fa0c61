"""Catalog, care package and provider pages for staff."""
