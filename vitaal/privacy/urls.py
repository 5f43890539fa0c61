from django.urls import path

from vitaal.privacy import views

app_name = "privacy"

urlpatterns = [
    path("me/export.json", views.export_json, name="export_json"),
    path("me/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("me/erasure/", views.my_erasure, name="my_erasure"),
    path("requests/", views.erasure_list, name="erasure_list"),
    path("requests/<int:pk>/", views.erasure_detail, name="erasure_detail"),
    path("requests/<int:pk>/execute/", views.erasure_execute_view, name="erasure_execute"),
    path("requests/<int:pk>/refuse/", views.erasure_refuse_view, name="erasure_refuse"),
    path("retention/", views.retention_overview, name="retention"),
]
