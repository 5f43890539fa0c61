"""URL patterns of this area; included into the ``igm`` namespace by ``vitaal/igm/urls.py``."""

from __future__ import annotations

from django.urls import URLPattern, path

from vitaal.igm.web.network import views

urlpatterns: list[URLPattern] = [
    path("toolbox/", views.practice_list, name="toolbox"),
    path("toolbox/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("toolbox/<int:pk>/withdraw/", views.practice_withdraw_view, name="practice_withdraw"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/new/", views.network_create_view, name="network_create"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("networks/<int:pk>/members/", views.network_member_add_view, name="network_member_add"),
    path(
        "networks/<int:pk>/members/<int:org_pk>/remove/",
        views.network_member_remove_view,
        name="network_member_remove",
    ),
    path("networks/<int:pk>/lessons/", views.network_lessons_view, name="network_lessons"),
    path("networks/<int:pk>/share/", views.practice_submit_view, name="practice_submit"),
]
