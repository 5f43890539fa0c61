from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "vitaal.care"
    label = "care"
    verbose_name = _("Work-related care")

    def ready(self) -> None:
        from vitaal.care import demo, demo_collective
        from vitaal.care.web.catalog import hooks as catalog_hooks
        from vitaal.care.web.portal import hooks as portal_hooks
        from vitaal.care.web.reports import hooks as reports_hooks
        from vitaal.care.web.work import hooks as work_hooks
        from vitaal.core import hooks

        hooks.register_start_sections(portal_hooks.start_sections, order=300)
        hooks.register_nav(portal_hooks.nav_items, order=300)
        hooks.register_start_sections(work_hooks.start_sections, order=310)
        hooks.register_nav(work_hooks.nav_items, order=310)
        hooks.register_start_sections(reports_hooks.start_sections, order=320)
        hooks.register_nav(reports_hooks.nav_items, order=320)
        hooks.register_start_sections(catalog_hooks.start_sections, order=330)
        hooks.register_nav(catalog_hooks.nav_items, order=330)
        hooks.register_demo(demo.build, order=300)
        hooks.register_demo(demo_collective.build, order=310)
        from vitaal.care import personal_data

        hooks.register_personal_data(personal_data.sections, order=300)
