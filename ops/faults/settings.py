"""Settings of the fault runs: the benchmark settings (with the floor page) plus the fault
hooks of ``ops.faults.hooks``. Never used by the product."""

from bench.settings import *  # noqa: F403
from bench.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "ops.faults.hooks.FaultHooksConfig"]
MIDDLEWARE = ["ops.faults.hooks.FaultMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "ops.faults.urls"
