from .audit import AccessLogEntry
from .imports import ImportJob
from .operations import PeriodicRun, WorkerHeartbeat
from .organisation import FunctionGroup, Organisation, ReportingPeriod, Sector, SizeClass, Unit
from .people import Gender, Membership, Person, User, UserSession
from .release import PeriodKind, Release

__all__ = [
    "AccessLogEntry",
    "FunctionGroup",
    "Gender",
    "ImportJob",
    "Membership",
    "Organisation",
    "PeriodKind",
    "PeriodicRun",
    "Person",
    "Release",
    "ReportingPeriod",
    "Sector",
    "SizeClass",
    "Unit",
    "User",
    "UserSession",
    "WorkerHeartbeat",
]
