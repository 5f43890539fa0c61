"""allauth MFA adapter: TOTP secrets and recovery-code seeds are encrypted at rest.

allauth stores them in ``Authenticator.data`` as given by ``MFAAdapter.encrypt`` (by default
unchanged), so anyone who reads the database or a backup could make every user's codes.
We encrypt with Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``, which
django-allauth[mfa] already installs (through fido2). The key is derived with HKDF from
``MFA_ENCRYPTION_KEY`` when set, else from ``SECRET_KEY``: a dedicated key lets the secret
key be rotated without touching two-step login, and keeps a leaked ``SECRET_KEY`` from also
giving away the authenticators.
"""

from __future__ import annotations

import base64
import functools
import logging

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

log = logging.getLogger(__name__)

# Marks an encrypted value, so that plain values written before encryption was switched on
# are recognised (and the data migration is idempotent).
PREFIX = "vitaal-fernet:"
_HKDF_SALT = b"vitaal.mfa"
_HKDF_INFO = b"allauth.mfa authenticator secrets"


def _fernet_key(material: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(
        material.encode()
    )
    return base64.urlsafe_b64encode(derived)


def key_materials() -> tuple[str, ...]:
    """Key material, the one to encrypt with first, then every one still accepted for
    decryption: fallbacks of the dedicated key, and the secret key (and its fallbacks)
    that encrypted before a dedicated key was set."""
    dedicated = getattr(settings, "MFA_ENCRYPTION_KEY", "") or ""
    fallbacks = list(getattr(settings, "MFA_ENCRYPTION_KEY_FALLBACKS", []) or [])
    secret = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    materials = [dedicated, *fallbacks, *secret] if dedicated else secret
    seen: list[str] = []
    for material in materials:
        if material and material not in seen:
            seen.append(material)
    if not seen:
        raise ImproperlyConfigured("MFA secrets need MFA_ENCRYPTION_KEY or SECRET_KEY to be set")
    return tuple(seen)


@functools.lru_cache(maxsize=4)
def _fernet(materials: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(m)) for m in materials])


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def encrypt_secret(text: str) -> str:
    if is_encrypted(text):
        return text
    return PREFIX + _fernet(key_materials()).encrypt(text.encode()).decode("ascii")


def decrypt_secret(value: str) -> str:
    if not is_encrypted(value):
        # Written before encryption was switched on and not yet migrated (old code still
        # running during an upgrade): accepted, so that nobody is locked out.
        log.warning("An MFA authenticator secret is stored unencrypted; run `vitaal migrate`.")
        return value
    try:
        return _fernet(key_materials()).decrypt(value.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An MFA secret cannot be decrypted: MFA_ENCRYPTION_KEY (or SECRET_KEY) changed without "
            "keeping the old one in MFA_ENCRYPTION_KEY_FALLBACKS (or SECRET_KEY_FALLBACKS)."
        ) from exc


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)
