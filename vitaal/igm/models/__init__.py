from .framework import (
    DevelopmentLine,
    Framework,
    Instrument,
    InstrumentVariant,
    Item,
    RatingScale,
    ScaleLevel,
    localized,
)
from .meter import (
    Answer,
    GroupRating,
    IndividualRating,
    MeterMode,
    MeterSession,
    SessionParticipant,
    SessionPurpose,
    SessionStatus,
)

__all__ = [
    "Answer",
    "DevelopmentLine",
    "Framework",
    "GroupRating",
    "IndividualRating",
    "Instrument",
    "InstrumentVariant",
    "Item",
    "MeterMode",
    "MeterSession",
    "RatingScale",
    "ScaleLevel",
    "SessionParticipant",
    "SessionPurpose",
    "SessionStatus",
    "localized",
]
