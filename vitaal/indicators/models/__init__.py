from vitaal.indicators.models.business_case import BusinessCase
from vitaal.indicators.models.contracts import (
    ContractIndicator,
    ContractLine,
    ContractStatus,
    ManagementContract,
)
from vitaal.indicators.models.library import (
    Computation,
    Direction,
    EfqmArea,
    Frequency,
    Indicator,
    Perspective,
    Source,
    TrackedElsewhere,
)
from vitaal.indicators.models.measurements import Measurement, Norm

__all__ = [
    "BusinessCase",
    "Computation",
    "ContractIndicator",
    "ContractLine",
    "ContractStatus",
    "Direction",
    "EfqmArea",
    "Frequency",
    "Indicator",
    "ManagementContract",
    "Measurement",
    "Norm",
    "Perspective",
    "Source",
    "TrackedElsewhere",
]
