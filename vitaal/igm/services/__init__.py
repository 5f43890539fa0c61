"""Writes of the igm app (see the sub-modules); re-exported here for callers."""

from .framework import (
    development_line_delete,
    development_line_update,
    framework_publish,
    framework_set_default,
    instrument_publish,
    item_delete,
)
from .loader import (
    LoadError,
    LoadReport,
    framework_file_check,
    framework_file_read,
    framework_load,
    framework_load_file,
)
from .meter import (
    group_rating_set,
    individual_rating_set,
    meter_session_close,
    meter_session_create,
    session_participant_add,
)

__all__ = [
    "LoadError",
    "LoadReport",
    "development_line_delete",
    "development_line_update",
    "framework_file_check",
    "framework_file_read",
    "framework_load",
    "framework_load_file",
    "framework_publish",
    "framework_set_default",
    "group_rating_set",
    "individual_rating_set",
    "instrument_publish",
    "item_delete",
    "meter_session_close",
    "meter_session_create",
    "session_participant_add",
]
