"""Deterministic faults for the fault tests; installed only by ``ops.faults.settings``.

* A request with the header ``X-Fault-Drop-After: app_label.Model`` loses its database
  connection right after its first save of that model: another session terminates the
  request's backend, as a failover or a network cut would, and the request's next statement
  fails.
* ``VITAAL_FAULT_SLOW_MODEL=app_label.Model`` with ``VITAAL_FAULT_SLOW_SECONDS`` makes every
  save of that model wait, so that a job runs long enough to be killed in the middle.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_save
from django.http import HttpRequest, HttpResponse

_state = threading.local()


def terminate_backend(alias: str = "default") -> int:
    """Kill this thread's database session from a second session; returns its backend pid."""
    connection = connections[alias]
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    return pid


def _after_save(sender: type, instance: Any, **kwargs: Any) -> None:
    label = sender._meta.label  # type: ignore[attr-defined]
    if getattr(_state, "drop_after", None) == label:
        _state.drop_after = None
        _state.dropped = terminate_backend(kwargs.get("using") or "default")
    if os.environ.get("VITAAL_FAULT_SLOW_MODEL") == label:
        time.sleep(float(os.environ.get("VITAAL_FAULT_SLOW_SECONDS", "0.05")))


def install() -> None:
    post_save.connect(_after_save, dispatch_uid="ops-fault-hooks")


@contextmanager
def drop_connection_after_save(label: str) -> Iterator[threading.local]:
    """Within the block, this thread's first save of ``label`` loses its connection."""
    install()
    _state.drop_after, _state.dropped = label, None
    try:
        yield _state
    finally:
        _state.drop_after = None


class FaultMiddleware:
    """Arms the dropped-connection fault for requests that ask for it by header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        label = request.headers.get("X-Fault-Drop-After")
        if not label:
            return self.get_response(request)
        with drop_connection_after_save(label):
            return self.get_response(request)


class FaultHooksConfig(AppConfig):
    name = "ops.faults"
    label = "ops_faults"
    default = True

    def ready(self) -> None:
        install()
