from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "vitaal.indicators"
    label = "indicators"
    verbose_name = _("Indicators and management contracts")

    def ready(self) -> None:
        from vitaal.core import hooks
        from vitaal.indicators import hooks as indicator_hooks

        hooks.register_nav(indicator_hooks.nav_items, order=500)
        from vitaal.indicators import demo

        hooks.register_demo(demo.build, order=600)
        from vitaal.indicators import personal_data

        hooks.register_personal_data(personal_data.sections, order=500)
