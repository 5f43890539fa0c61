"""URL access table of the igm network area (see vitaal/core/testing_access.py): the
learning network and toolbox pages, and the igm API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from vitaal.core.testing import Cast
from vitaal.core.testing_access import LOGGED_IN, Access
from vitaal.igm.models import (
    Framework,
    Instrument,
    LearningNetwork,
    MeterSession,
    Plan,
    Practice,
    PracticeKind,
    StoredSignal,
)

DATA = Path(__file__).resolve().parent.parent / "data"

# Roles that follow IGM at an organisation (and so read the toolbox and their networks).
READERS = {"org_admin", "coordinator", "advisor", "management", "works_council"}
TOOLBOX_READERS = READERS | {f"{r}_b" for r in READERS} | {"sector_admin"}
NETWORK_NAME = "Netwerk A"
SPARE_NETWORK = "Netwerk reserve"


def prepare(cast: Cast) -> None:
    from vitaal.igm.services import framework_load_file, meter_session_create, plan_create
    from vitaal.igm.services.cycle import cycle_start
    from vitaal.igm.services.network import (
        network_create,
        network_member_add,
        practice_submit,
        toolbox_load,
    )

    framework_load_file(path=DATA / "igm-default.json")
    toolbox_load()
    network = network_create(sector=cast.sector, name=NETWORK_NAME)
    network_member_add(network=network, organisation=cast.a.organisation, joined_on=date(2025, 1, 1))
    for title in ("Gedeeld", "Intrekken"):
        practice_submit(
            network=network,
            organisation=cast.a.organisation,
            submitted_by=cast.user("advisor"),
            kind=PracticeKind.APPROACH,
            title=title,
            summary="Een samenvatting.",
            language="nl",
        )
    spare = network_create(sector=cast.sector, name=SPARE_NETWORK)
    network_member_add(network=spare, organisation=cast.a.organisation, joined_on=date(2025, 1, 1))
    # API objects of organisation A
    instrument = Instrument.objects.get(code="igm-meter-mkb", version=1)
    meter_session_create(
        organisation=cast.a.organisation, instrument=instrument, mode="group", date=date(2025, 3, 1)
    )
    cycle = cycle_start(
        organisation=cast.a.organisation,
        started_on=date(2025, 1, 6),
        framework=Framework.objects.get(code="igm", version=1),
    )
    plan_create(cycle=cycle, unit=cast.a.team1)
    StoredSignal.objects.create(
        cycle=cycle,
        kind="no_activity",
        severity="warning",
        subject_type="cycle",
        subject_id=cycle.pk,
        params={"weeks": 6, "last": "2025-01-06"},
        computed_for=date(2025, 3, 1),
    )


def _network(name: str = NETWORK_NAME) -> dict[str, int]:
    return {"pk": LearningNetwork.objects.get(name=name).pk}


def _practice(title: str) -> int:
    return Practice.objects.get(title_nl=title).pk


API_READERS = READERS  # organisation-level IGM readers of organisation A

ACCESS: dict[str, Access] = {
    # toolbox and practices
    "igm:toolbox": Access(ok=TOOLBOX_READERS),
    "igm:practice_detail": Access(
        kwargs=lambda c: {"pk": _practice("Gedeeld")}, org=True, ok=READERS | {"sector_admin"}
    ),
    "igm:practice_withdraw": Access(
        kwargs=lambda c: {"pk": _practice("Intrekken")},
        org=True,
        method="post",
        ok={"coordinator", "advisor", "sector_admin"},
        success=302,
    ),
    # networks
    "igm:network_list": Access(ok=TOOLBOX_READERS),
    "igm:network_create": Access(ok={"sector_admin"}),
    "igm:network_detail": Access(kwargs=lambda c: _network(), org=True, ok=READERS | {"sector_admin"}),
    "igm:network_lessons": Access(kwargs=lambda c: _network(), org=True, ok=READERS),
    "igm:practice_submit": Access(kwargs=lambda c: _network(), org=True, ok={"coordinator", "advisor"}),
    # an empty form is refused and the page shown again: nothing changes
    "igm:network_member_add": Access(
        kwargs=lambda c: _network(), org=True, method="post", data={}, ok={"sector_admin"}
    ),
    # last: takes organisation A out of the spare network
    "igm:network_member_remove": Access(
        kwargs=lambda c: {**_network(SPARE_NETWORK), "org_pk": c.a.organisation.pk},
        org=True,
        method="post",
        ok={"sector_admin"},
        success=302,
    ),
    # API: frameworks and instruments are shared reference data
    "api:igm-framework-list": Access(ok=LOGGED_IN, anonymous=401),
    "api:igm-framework-detail": Access(
        kwargs=lambda c: {"pk": Framework.objects.get(code="igm", version=1).pk}, ok=LOGGED_IN, anonymous=401
    ),
    "api:igm-instrument-list": Access(ok=LOGGED_IN, anonymous=401),
    "api:igm-instrument-detail": Access(
        kwargs=lambda c: {"pk": Instrument.objects.get(code="igm-meter-mkb", version=1).pk},
        ok=LOGGED_IN,
        anonymous=401,
    ),
    # API: organisation data; lists are scoped (empty for others), details 403/404
    "api:igm-metersession-list": Access(ok=LOGGED_IN, anonymous=401),
    "api:igm-metersession-detail": Access(
        kwargs=lambda c: {"pk": MeterSession.objects.get(organisation=c.a.organisation).pk},
        org=True,
        ok=API_READERS,
        anonymous=401,
    ),
    "api:igm-plan-list": Access(ok=LOGGED_IN, anonymous=401),
    "api:igm-plan-detail": Access(
        kwargs=lambda c: {"pk": Plan.objects.get(cycle__organisation=c.a.organisation).pk},
        org=True,
        ok=API_READERS,
        anonymous=401,
    ),
    "api:igm-signal-list": Access(ok=LOGGED_IN, anonymous=401),
    "api:igm-signal-detail": Access(
        kwargs=lambda c: {"pk": StoredSignal.objects.get(cycle__organisation=c.a.organisation).pk},
        org=True,
        ok=API_READERS,
        anonymous=401,
    ),
}
