"""Models of the care app: catalog, providers, package and the health check."""

from .catalog import (
    AccessRoute,
    Approver,
    ChainStage,
    DeliveryForm,
    FinancingSource,
    Intervention,
    TariffUnit,
    Theme,
)
from .health import HealthCheck
from .package import Package, PackageItem, PackageStatus, Verdict
from .providers import (
    Expertise,
    Provider,
    ProviderMember,
    ProviderTariff,
    Province,
    QualityMarkStatus,
    Region,
)

__all__ = [
    "AccessRoute",
    "Approver",
    "ChainStage",
    "DeliveryForm",
    "Expertise",
    "FinancingSource",
    "HealthCheck",
    "Intervention",
    "Package",
    "PackageItem",
    "PackageStatus",
    "Provider",
    "ProviderMember",
    "ProviderTariff",
    "Province",
    "QualityMarkStatus",
    "Region",
    "TariffUnit",
    "Theme",
    "Verdict",
]
