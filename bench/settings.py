"""Settings for benchmark and load runs: vitaal's own settings plus the floor page.

The floor (``/bench/floor/``) is the yardstick every page is measured against: a bare
Django view doing one query and rendering a small template, behind the same middleware,
served by the same gunicorn processes against the same database. It exists only here, never
in the product's URLconf.
"""

from vitaal.settings import *  # noqa: F403
from vitaal.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0].get("DIRS", []), BASE_DIR / "bench" / "templates"]
