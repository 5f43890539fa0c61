from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "vitaal.privacy"
    label = "privacy"
    verbose_name = _("Privacy and retention")

    def ready(self) -> None:
        from vitaal.core import hooks
        from vitaal.privacy import core_data, web

        hooks.register_personal_data(core_data.sections, order=100)
        hooks.register_nav(web.nav_items, order=900)
        _register_log_labels()


def _register_log_labels() -> None:
    """Labels for the access-log codes this app writes, so "who looked at my data" shows
    them in the reader's language (the codes themselves stay English evidence)."""
    from vitaal.core.models.audit import DESCRIPTION_LABELS, OBJECT_TYPE_LABELS

    OBJECT_TYPE_LABELS.update({"personal_data": _("all your data"), "erasure_request": _("erasure request")})
    DESCRIPTION_LABELS.update(
        {
            "full personal data export": _("downloaded by you"),
            "erasure request previewed": _("looked at by the privacy officer"),
            "erasure request carried out": _("carried out"),
            "erasure request refused": _("refused"),
            "erasure request list": _("shown in the list of erasure requests"),
        }
    )
