"""The only pages that answer an anonymous visitor with content. Views opt out of
LoginRequiredMiddleware with @login_not_required (allauth's entrance pages do so
themselves); the URL meta-test fails when the set of pages answering anonymous
visitors differs from this list."""

PUBLIC_URL_NAMES = frozenset(
    {
        "healthz",
        "set_language",
        "account_login",
        "account_inactive",
        "account_signup",  # tells the visitor that accounts come from their employer
        "account_email_verification_sent",
        "account_confirm_email",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        # Survey respondents are anonymous by design: a one-time or open code, no account.
        "surveys:start",
        "surveys:answer",
        "surveys:answer_saved",
        "surveys:thanks",
    }
)
