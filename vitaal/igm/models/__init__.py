"""Models of the IGM app."""
