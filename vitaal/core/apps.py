from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "vitaal.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from vitaal.core.auth import record_mfa_on_activation

        # Setting up TOTP proves possession of the second factor (a valid code is entered),
        # so the session counts as two-step from then on and the user is not logged out.
        authenticator_added.connect(record_mfa_on_activation, dispatch_uid="vitaal_mfa_activation")
