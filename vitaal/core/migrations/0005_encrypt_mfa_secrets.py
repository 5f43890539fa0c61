"""Encrypt the TOTP secrets and recovery-code seeds allauth stored in plain text
(vitaal.core.mfa). Idempotent: values already carrying the encryption prefix are left
alone, so running it again, or on a database where some rows are encrypted, is safe.
Reversible: going back decrypts them again for the code that expects plain values."""

from django.db import migrations

from vitaal.core.mfa import decrypt_secret, encrypt_secret, is_encrypted


def _convert(data, change):
    """Apply ``change`` to every secret in one authenticator's data; True if one changed."""
    changed = False
    for key in ("secret", "seed"):
        value = data.get(key)
        if isinstance(value, str):
            new = change(value)
            changed |= new != value
            data[key] = new
    codes = data.get("migrated_codes")
    if isinstance(codes, list):
        new_codes = [change(c) if isinstance(c, str) else c for c in codes]
        changed |= new_codes != codes
        data["migrated_codes"] = new_codes
    return changed


def _run(apps, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]).iterator():
        data = dict(authenticator.data or {})
        if _convert(data, change):
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt(apps, schema_editor):
    _run(apps, encrypt_secret)


def decrypt(apps, schema_editor):
    _run(apps, lambda value: decrypt_secret(value) if is_encrypted(value) else value)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_accesslog_data_class_privacy_officer"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
