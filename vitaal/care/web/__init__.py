"""Web pages of the care app, one sub-package per area."""
