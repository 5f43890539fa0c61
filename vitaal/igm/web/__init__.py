"""Web pages of the igm app, one sub-package per area."""
