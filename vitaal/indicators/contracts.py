"""Management contracts: drafting, signing by both parties, and new versions. A signed
contract never changes; a change makes version n+1 that starts as a copy, and the old
version is marked replaced once the new one is signed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vitaal.core.models import Organisation, Unit
from vitaal.indicators.models import (
    ContractIndicator,
    ContractLine,
    ContractStatus,
    Indicator,
    ManagementContract,
)


def _editable(contract: ManagementContract) -> None:
    if contract.is_frozen:
        raise ValidationError(_("This contract is signed and cannot change; make a new version."))


@transaction.atomic
def create_contract(
    *,
    organisation: Organisation,
    unit: Unit,
    head: Any,
    period_start: date,
    period_end: date,
    general: str = "",
) -> ManagementContract:
    if unit.organisation_id != organisation.pk:
        raise ValidationError(_("This unit belongs to another organisation."))
    if period_end <= period_start:
        raise ValidationError({"period_end": _("The end must come after the start.")})
    if ManagementContract.objects.filter(unit=unit, period_start=period_start).exists():
        raise ValidationError(
            _("This unit already has a contract starting on that date; make a new version of it.")
        )
    return ManagementContract.objects.create(
        organisation=organisation,
        unit=unit,
        head=head,
        period_start=period_start,
        period_end=period_end,
        general=general,
    )


@transaction.atomic
def save_line(
    *,
    contract: ManagementContract,
    line_code: str,
    objective: str,
    success_factors: str = "",
    actions: str = "",
    indicators: list[tuple[Indicator, Any]] | None = None,
) -> ContractLine:
    """Add or replace the agreements for one development line, with its indicators and norms."""
    _editable(contract)
    if not objective.strip():
        raise ValidationError({"objective": _("Write the objective for this line.")})
    line = ContractLine.objects.filter(contract=contract, line_code=line_code).first()
    if line is None:
        line = ContractLine(contract=contract, line_code=line_code, order=contract.lines.count())
    line.objective, line.success_factors, line.actions = (
        objective.strip(),
        success_factors.strip(),
        actions.strip(),
    )
    line.save()
    if indicators is not None:
        for indicator, norm in indicators:
            indicator.check_value(norm)
        line.indicators.all().delete()
        ContractIndicator.objects.bulk_create(
            [ContractIndicator(line=line, indicator=indicator, norm=norm) for indicator, norm in indicators]
        )
    return line


@transaction.atomic
def remove_line(*, contract: ManagementContract, line_code: str) -> None:
    _editable(contract)
    ContractLine.objects.filter(contract=contract, line_code=line_code).delete()


@transaction.atomic
def sign(*, contract: ManagementContract, user: Any, as_management: bool) -> ManagementContract:
    """Record a signature. When both have signed, the contract is signed (frozen) and the
    version it replaces, if any, is marked replaced."""
    contract = ManagementContract.objects.select_for_update().get(pk=contract.pk)
    _editable(contract)
    if not contract.lines.exists():
        raise ValidationError(_("A contract without agreements per development line cannot be signed."))
    now = timezone.now()
    if as_management:
        if contract.management_signed_at:
            raise ValidationError(_("Management has already signed."))
        if user.pk == contract.head_id:
            raise ValidationError(_("The unit head cannot also sign for management."))
        contract.management_signed_at, contract.management_signer = now, user
    else:
        if user.pk != contract.head_id:
            raise ValidationError(_("Only the unit head of this contract signs as unit head."))
        if contract.head_signed_at:
            raise ValidationError(_("You have already signed."))
        contract.head_signed_at = now
    if contract.head_signed_at and contract.management_signed_at:
        contract.status = ContractStatus.SIGNED
        if contract.replaces_id:
            ManagementContract.objects.filter(pk=contract.replaces_id).update(status=ContractStatus.REPLACED)
    contract.save()
    return contract


@transaction.atomic
def new_version(*, contract: ManagementContract) -> ManagementContract:
    """Start version n+1 of a signed contract as a copy of it (signatures left empty)."""
    if contract.status != ContractStatus.SIGNED:
        raise ValidationError(_("Only a signed contract gets a new version; change the draft itself."))
    if hasattr(contract, "replaced_by"):
        raise ValidationError(_("A newer version of this contract already exists."))
    copy = ManagementContract.objects.create(
        organisation_id=contract.organisation_id,
        unit_id=contract.unit_id,
        head_id=contract.head_id,
        period_start=contract.period_start,
        period_end=contract.period_end,
        version=contract.version + 1,
        replaces=contract,
        general=contract.general,
    )
    for line in contract.lines.prefetch_related("indicators"):
        new_line = ContractLine.objects.create(
            contract=copy,
            order=line.order,
            line_code=line.line_code,
            objective=line.objective,
            success_factors=line.success_factors,
            actions=line.actions,
        )
        ContractIndicator.objects.bulk_create(
            [
                ContractIndicator(line=new_line, indicator_id=ci.indicator_id, norm=ci.norm)
                for ci in line.indicators.all()
            ]
        )
    return copy
