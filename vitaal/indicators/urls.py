from django.urls import path

from vitaal.indicators import views

app_name = "indicators"

urlpatterns = [
    path("<slug:org>/", views.scorecard, name="scorecard"),
    path("<slug:org>/units/<int:unit>/", views.unit_scorecard, name="unit_scorecard"),
    path("<slug:org>/library/", views.library, name="library"),
    path("<slug:org>/library/<slug:code>/elsewhere/", views.tracked_elsewhere, name="tracked_elsewhere"),
    path("<slug:org>/import/", views.measurement_import, name="measurement_import"),
    path("<slug:org>/planning-control.xlsx", views.pc_export, name="pc_export"),
    path("<slug:org>/measurements/<int:pk>/correct/", views.measurement_correct, name="measurement_correct"),
    path("<slug:org>/<slug:code>/", views.indicator_detail, name="indicator_detail"),
    path("<slug:org>/<slug:code>/measurements/", views.measurement_add, name="measurement_add"),
    path("<slug:org>/<slug:code>/norm/", views.norm_set, name="norm_set"),
]
