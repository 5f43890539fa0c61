"""Rows that are evidence: once written they are never changed or removed.

Used by the access log, a care request's history and the financing ledger. A model sets
the messages it refuses with and the error it raises; the queryset refuses bulk changes
too. The access log is also guarded by a PostgreSQL trigger (migration core 0002).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an append-only row."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise self.model.append_only_refusal(self.model.change_refused)

    def delete(self) -> Any:
        raise self.model.append_only_refusal(self.model.removal_refused)


class AppendOnlyModel(models.Model):
    """Base for append-only models: ``save`` only inserts, ``delete`` always refuses."""

    change_refused: ClassVar[Any] = "This record cannot be changed."
    removal_refused: ClassVar[Any] = "This record cannot be removed."
    append_only_error: ClassVar[type[Exception]] = AppendOnlyError

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise self.append_only_refusal(self.change_refused)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise self.append_only_refusal(self.removal_refused)

    @classmethod
    def append_only_refusal(cls, message: Any) -> Exception:
        return cls.append_only_error(message)
