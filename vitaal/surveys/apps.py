from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "vitaal.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from vitaal.core import hooks
        from vitaal.surveys import demo, demo_matrix, web

        hooks.register_start_sections(web.start_sections, order=400)
        hooks.register_nav(web.nav_items, order=400)
        hooks.register_demo(demo.build, order=400)
        hooks.register_demo(demo_matrix.build, order=410)
        from vitaal.surveys import personal_data

        hooks.register_personal_data(personal_data.sections, order=400)
