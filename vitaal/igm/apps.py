from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IgmConfig(AppConfig):
    name = "vitaal.igm"
    label = "igm"
    verbose_name = _("Integral health management")
