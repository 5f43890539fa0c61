"""Models of the care app: catalog, providers, package, the health check, and referrals
and care requests."""

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
from .collective import ActivityStatus, CollectiveActivity, Enrolment
from .finance import ApplicationStatus, BudgetApplication, FinancingModel, LedgerEntry, LedgerKind
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
from .reporting import ImportStatus, InsurerImportBatch, InsurerUsageRow
from .requests import (
    CareRequest,
    DeliverySession,
    Evaluation,
    Helped,
    Referral,
    ReferralAnswer,
    ReferrerRole,
    RequestEvent,
    RequestRoute,
    RequestStatus,
)

__all__ = [
    "AccessRoute",
    "ActivityStatus",
    "ApplicationStatus",
    "Approver",
    "BudgetApplication",
    "CareRequest",
    "ChainStage",
    "CollectiveActivity",
    "DeliveryForm",
    "DeliverySession",
    "Enrolment",
    "Evaluation",
    "Expertise",
    "FinancingModel",
    "FinancingSource",
    "HealthCheck",
    "Helped",
    "ImportStatus",
    "InsurerImportBatch",
    "InsurerUsageRow",
    "Intervention",
    "LedgerEntry",
    "LedgerKind",
    "Package",
    "PackageItem",
    "PackageStatus",
    "Provider",
    "ProviderMember",
    "ProviderTariff",
    "Province",
    "QualityMarkStatus",
    "Referral",
    "ReferralAnswer",
    "ReferrerRole",
    "Region",
    "RequestEvent",
    "RequestRoute",
    "RequestStatus",
    "TariffUnit",
    "Theme",
    "Verdict",
]
