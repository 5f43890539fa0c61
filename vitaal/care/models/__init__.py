"""Models of the care app."""
