"""Reading a catalog file and checking its shape and types (step 1 of
``vitaal.care.catalog_file``); produces a CatalogPlan of specs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from vitaal.care.models.package import PackageStatus, Verdict
from vitaal.care.services import InterventionSpec, ProviderSpec

FORMAT_VERSION = 1
DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "care_catalog.json"
VERDICTS = {
    "+": Verdict.IN,
    "+/-": Verdict.DISCUSS,
    "+/−": Verdict.DISCUSS,
    "-": Verdict.OUT,
    "−": Verdict.OUT,
}

TOP_KEYS = {"format", "expertise", "interventions", "providers", "packages"}
EXPERTISE_KEYS = {"code", "name_nl", "name_en"}
INTERVENTION_KEYS = {
    "code", "name_nl", "name_en", "description_nl", "description_en", "theme", "stages",
    "individual", "collective", "forms", "duration_nl", "duration_en", "max_sessions", "tariff",
    "tariff_unit", "ceiling", "routes", "approval_required", "approver", "financing", "source",
    "is_active",
}  # fmt: skip
PROVIDER_KEYS = {
    "code", "name", "city", "email", "website", "description_nl", "description_en", "regions",
    "expertise", "interventions", "quality_mark", "tariffs", "is_active", "source",
}  # fmt: skip
QUALITY_MARK_KEYS = {"name", "obtained_on", "valid_until"}
TARIFF_KEYS = {"intervention", "tariff", "valid_from"}
PACKAGE_KEYS = {"year", "status", "items"}
ITEM_KEYS = {
    "intervention", "verdict", "rationale_nl", "rationale_en", "alternative_nl", "alternative_en",
    "financing",
}  # fmt: skip


class CatalogFileError(Exception):
    """The file was refused; ``errors`` says where and why. Nothing was changed."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadSummary:
    counts: dict[str, Counts] = field(default_factory=dict)

    def count(self, kind: str) -> Counts:
        return self.counts.setdefault(kind, Counts())

    def lines(self) -> list[str]:
        return [
            f"{kind}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            for kind, c in self.counts.items()
        ]


@dataclass
class TariffPlan:
    intervention: str
    tariff: Decimal
    valid_from: date


@dataclass
class ItemPlan:
    intervention: str
    verdict: str
    rationale_nl: str
    rationale_en: str
    alternative_nl: str
    alternative_en: str
    financing: frozenset[str]


@dataclass
class PackagePlan:
    year: int
    status: str
    items: list[ItemPlan]


@dataclass
class CatalogPlan:
    expertise: list[dict[str, str]] = field(default_factory=list)
    interventions: list[InterventionSpec] = field(default_factory=list)
    providers: list[tuple[ProviderSpec, list[TariffPlan]]] = field(default_factory=list)
    packages: list[PackagePlan] = field(default_factory=list)


# --- Reading and parsing ----------------------------------------------------------------


def catalog_read(path: Path) -> Any:
    """The file's JSON content, numbers with decimals read as Decimal (never float)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogFileError(
            [_("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc}]
        ) from exc
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CatalogFileError(
            [
                _("The file is not valid JSON (line %(line)d, column %(col)d): %(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ]
        ) from exc


class _Entry:
    """Typed access to one JSON object, collecting errors with their location."""

    def __init__(self, raw: Any, where: str, allowed: set[str], errors: list[str]) -> None:
        self.where = where
        self.errors = errors
        self.raw: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if not isinstance(raw, dict):
            self.fail(_("expected an object"))
        for key in sorted(set(self.raw) - allowed):
            self.fail(_("unknown field %(key)r") % {"key": key})

    def fail(self, message: str, key: str = "") -> None:
        place = f"{self.where}.{key}" if key else self.where
        self.errors.append(f"{place}: {message}")

    def _get(self, key: str, kinds: tuple[type, ...], required: bool, what: str) -> Any:
        if key not in self.raw or self.raw[key] is None:
            if required:
                self.fail(_("this field is required"), key)
            return None
        value = self.raw[key]
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            self.fail(_("expected %(what)s") % {"what": what}, key)
            return None
        return value

    def text(self, key: str, required: bool = False) -> str:
        value = self._get(key, (str,), required, _("text"))
        if required and value is not None and not value.strip():
            self.fail(_("this field is required"), key)
        return value.strip() if isinstance(value, str) else ""

    def flag(self, key: str, default: bool) -> bool:
        value = self._get(key, (bool,), False, _("true or false"))
        return default if value is None else bool(value)

    def number(self, key: str, required: bool = False) -> Decimal | None:
        value = self._get(key, (int, Decimal), required, _("a number"))
        return None if value is None else Decimal(value)

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self._get(key, (int,), required, _("a whole number"))
        return None if value is None else int(value)

    def day(self, key: str, raw: dict[str, Any] | None = None, required: bool = False) -> date | None:
        value = (raw if raw is not None else self.raw).get(key)
        if value is None:
            if required:
                self.fail(_("this field is required"), key)
            return None
        try:
            if isinstance(value, str):
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.fail(_("expected a date as YYYY-MM-DD"), key)
        return None

    def codes(self, key: str) -> frozenset[str]:
        value = self._get(key, (list,), False, _("a list of codes"))
        if value is None:
            return frozenset()
        if not all(isinstance(v, str) for v in value):
            self.fail(_("expected a list of codes"), key)
            return frozenset()
        return frozenset(value)

    def items(self, key: str) -> list[Any]:
        value = self._get(key, (list,), False, _("a list"))
        return value or []


def _label(kind: str, index: int, raw: Any) -> str:
    code = raw.get("code") or raw.get("intervention") or raw.get("year") if isinstance(raw, dict) else None
    return f"{kind}[{index}]" + (f" ({code})" if code else "")


def _parse_intervention(e: _Entry) -> InterventionSpec:
    return InterventionSpec(
        code=e.text("code", required=True),
        name_nl=e.text("name_nl", required=True),
        name_en=e.text("name_en", required=True),
        description_nl=e.text("description_nl"),
        description_en=e.text("description_en"),
        theme=e.text("theme", required=True),
        stages=e.codes("stages"),
        individual=e.flag("individual", True),
        collective=e.flag("collective", False),
        forms=e.codes("forms"),
        duration_nl=e.text("duration_nl"),
        duration_en=e.text("duration_en"),
        max_sessions=e.integer("max_sessions"),
        tariff=e.number("tariff", required=True) or Decimal(0),
        tariff_unit=e.text("tariff_unit", required=True),
        ceiling=e.number("ceiling"),
        routes=e.codes("routes"),
        approval_required=e.flag("approval_required", False),
        approver=e.text("approver"),
        financing=e.codes("financing"),
        source=e.text("source"),
        is_active=e.flag("is_active", True),
    )


def _parse_provider(e: _Entry, errors: list[str]) -> tuple[ProviderSpec, list[TariffPlan]]:
    mark = e.raw.get("quality_mark") or {}
    m = _Entry(mark, f"{e.where}.quality_mark", QUALITY_MARK_KEYS, errors)
    tariffs: list[TariffPlan] = []
    for j, raw in enumerate(e.items("tariffs")):
        t = _Entry(raw, f"{e.where}.tariffs[{j}]", TARIFF_KEYS, errors)
        tariffs.append(
            TariffPlan(
                intervention=t.text("intervention", required=True),
                tariff=t.number("tariff", required=True) or Decimal(0),
                valid_from=t.day("valid_from", required=True) or date.min,
            )
        )
    spec = ProviderSpec(
        code=e.text("code", required=True),
        name=e.text("name", required=True),
        city=e.text("city"),
        email=e.text("email"),
        website=e.text("website"),
        description_nl=e.text("description_nl"),
        description_en=e.text("description_en"),
        regions=e.codes("regions"),
        expertise=e.codes("expertise"),
        interventions=e.codes("interventions"),
        quality_mark=m.text("name"),
        quality_mark_obtained_on=m.day("obtained_on"),
        quality_mark_valid_until=m.day("valid_until"),
        is_active=e.flag("is_active", True),
        source=e.text("source"),
    )
    return spec, tariffs


def _parse_package(e: _Entry, errors: list[str]) -> PackagePlan:
    items: list[ItemPlan] = []
    for j, raw in enumerate(e.items("items")):
        i = _Entry(raw, f"{e.where}.items[{j}]", ITEM_KEYS, errors)
        symbol = i.text("verdict", required=True)
        if symbol and symbol not in VERDICTS:
            i.fail(_("use +, +/- or -"), "verdict")
        items.append(
            ItemPlan(
                intervention=i.text("intervention", required=True),
                verdict=VERDICTS.get(symbol, ""),
                rationale_nl=i.text("rationale_nl", required=True),
                rationale_en=i.text("rationale_en", required=True),
                alternative_nl=i.text("alternative_nl"),
                alternative_en=i.text("alternative_en"),
                financing=i.codes("financing"),
            )
        )
    status = e.text("status") or PackageStatus.DRAFT
    if status not in PackageStatus.values:
        e.fail(_("use draft or published"), "status")
    return PackagePlan(year=e.integer("year", required=True) or 0, status=status, items=items)


def _duplicates(kind: str, codes: list[str], errors: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            errors.append(_("%(kind)s: %(code)s appears more than once") % {"kind": kind, "code": code})
        seen.add(code)


def catalog_parse(data: Any) -> CatalogPlan:
    """Check the file's shape and types; raise CatalogFileError listing every problem."""
    errors: list[str] = []
    top = _Entry(data, "file", TOP_KEYS, errors)
    if top.raw.get("format") != FORMAT_VERSION:
        top.fail(_("this loader reads format %(v)d") % {"v": FORMAT_VERSION}, "format")
    plan = CatalogPlan()
    for i, raw in enumerate(top.items("expertise")):
        e = _Entry(raw, _label("expertise", i, raw), EXPERTISE_KEYS, errors)
        plan.expertise.append({k: e.text(k, required=True) for k in ("code", "name_nl", "name_en")})
    for i, raw in enumerate(top.items("interventions")):
        plan.interventions.append(
            _parse_intervention(_Entry(raw, _label("interventions", i, raw), INTERVENTION_KEYS, errors))
        )
    for i, raw in enumerate(top.items("providers")):
        entry = _Entry(raw, _label("providers", i, raw), PROVIDER_KEYS, errors)
        plan.providers.append(_parse_provider(entry, errors))
    for i, raw in enumerate(top.items("packages")):
        plan.packages.append(
            _parse_package(_Entry(raw, _label("packages", i, raw), PACKAGE_KEYS, errors), errors)
        )
    _duplicates("expertise", [x["code"] for x in plan.expertise], errors)
    _duplicates("interventions", [s.code for s in plan.interventions], errors)
    _duplicates("providers", [s.code for s, _t in plan.providers], errors)
    _duplicates("packages", [str(p.year) for p in plan.packages], errors)
    if errors:
        raise CatalogFileError(errors)
    return plan
