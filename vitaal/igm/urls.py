from __future__ import annotations

from vitaal.igm.web.cycle.urls import urlpatterns as cycle_urls
from vitaal.igm.web.network.urls import urlpatterns as network_urls
from vitaal.igm.web.plans.urls import urlpatterns as plans_urls

app_name = "igm"

urlpatterns = [*cycle_urls, *plans_urls, *network_urls]
