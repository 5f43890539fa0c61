"""Writes of the igm app (see the sub-modules); re-exported here for callers."""

from .cycle import (
    UNSET,
    cycle_close,
    cycle_coordinator_change,
    cycle_start,
    default_steps,
    group_member_add,
    meeting_record,
    phase_update,
    step_update,
    works_council_advice_record,
)
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
from .registration import (
    phase_registration_save,
    phase_registration_submit,
    phase_registration_verify,
)

__all__ = [
    "UNSET",
    "LoadError",
    "LoadReport",
    "cycle_close",
    "cycle_coordinator_change",
    "cycle_start",
    "default_steps",
    "development_line_delete",
    "development_line_update",
    "framework_file_check",
    "framework_file_read",
    "framework_load",
    "framework_load_file",
    "framework_publish",
    "framework_set_default",
    "group_member_add",
    "group_rating_set",
    "individual_rating_set",
    "instrument_publish",
    "item_delete",
    "meeting_record",
    "meter_session_close",
    "meter_session_create",
    "phase_registration_save",
    "phase_registration_submit",
    "phase_registration_verify",
    "phase_update",
    "session_participant_add",
    "step_update",
    "works_council_advice_record",
]
