"""The only pages that answer without a login. The URL meta-test fails when any other
URL answers an anonymous visitor with anything but a redirect to the login page."""

PUBLIC_URL_NAMES = frozenset(
    {
        "healthz",
        "set_language",
        # allauth's own login, password-reset and MFA-challenge pages
        "account_login",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_signup",
        "account_confirm_email",
        "account_email_verification_sent",
        "account_inactive",
        "account_logout",
        "mfa_authenticate",
        "mfa_login_webauthn",
        "mfa_signup_webauthn",
        "account_login_code_confirm",
        "account_request_login_code",
        "account_confirm_login_code",
        "account_reauthenticate",
        "account_change_password",
        "account_set_password",
        "account_email",
        "account_reset_password_from_key",
        "mfa_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
    }
)
