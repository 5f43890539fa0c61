from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IgmConfig(AppConfig):
    name = "vitaal.igm"
    label = "igm"
    verbose_name = _("Integral health management")

    def ready(self) -> None:
        from vitaal.core import hooks
        from vitaal.igm import demo
        from vitaal.igm.web.cycle import hooks as cycle_hooks
        from vitaal.igm.web.network import hooks as network_hooks
        from vitaal.igm.web.plans import hooks as plans_hooks

        hooks.register_start_sections(cycle_hooks.start_sections, order=200)
        hooks.register_nav(cycle_hooks.nav_items, order=200)
        hooks.register_start_sections(plans_hooks.start_sections, order=210)
        hooks.register_nav(plans_hooks.nav_items, order=210)
        hooks.register_start_sections(network_hooks.start_sections, order=220)
        hooks.register_nav(network_hooks.nav_items, order=220)
        hooks.register_demo(demo.build, order=200)
        from vitaal.igm import personal_data

        hooks.register_personal_data(personal_data.sections, order=200)
