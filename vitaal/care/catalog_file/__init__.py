"""Loading the catalog, providers and packages from a JSON file (``vitaal
load-care-catalog``).

Three steps, so that a bad file changes nothing: *parse* checks the file's shape and
types and turns it into specs (``parsing``), *check* validates every entry against the
models and what is already in the database, *apply* writes everything in one transaction
through the services (``loading``). Loading the same file twice changes nothing the
second time.
"""

from .loading import catalog_check, catalog_load
from .parsing import (
    DEFAULT_FILE,
    FORMAT_VERSION,
    CatalogFileError,
    CatalogPlan,
    LoadSummary,
    catalog_parse,
    catalog_read,
)

__all__ = [
    "DEFAULT_FILE",
    "FORMAT_VERSION",
    "CatalogFileError",
    "CatalogPlan",
    "LoadSummary",
    "catalog_check",
    "catalog_load",
    "catalog_parse",
    "catalog_read",
]
