from __future__ import annotations

from vitaal.igm.web.cycle.urls import urlpatterns as cycle_urls
from vitaal.igm.web.network.urls import urlpatterns as network_urls
from vitaal.igm.web.plans.urls import urlpatterns as plans_urls

app_name = "igm"

# Paths without an organisation slug first, so "<slug:org>/" never swallows them.
_fixed = [p for p in [*cycle_urls, *plans_urls, *network_urls] if not str(p.pattern).startswith("<slug:org>")]
_per_org = [p for p in [*cycle_urls, *plans_urls, *network_urls] if str(p.pattern).startswith("<slug:org>")]
urlpatterns = [*_fixed, *_per_org]
