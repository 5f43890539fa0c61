from __future__ import annotations

from vitaal.care.web.catalog.urls import urlpatterns as catalog_urls
from vitaal.care.web.portal.urls import urlpatterns as portal_urls
from vitaal.care.web.reports.urls import urlpatterns as reports_urls
from vitaal.care.web.work.urls import urlpatterns as work_urls

app_name = "care"

urlpatterns = [*portal_urls, *work_urls, *reports_urls, *catalog_urls]
