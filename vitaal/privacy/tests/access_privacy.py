"""URL access table of the privacy app: the employee's export and erasure pages, the
privacy handler's pages (the sector's privacy officer only)."""

from __future__ import annotations

from typing import Any

from vitaal.core.testing import Cast
from vitaal.core.testing_access import HAS_PERSON, Access
from vitaal.privacy.models import ErasureRequest

HANDLER = {"privacy_officer"}


def prepare(cast: Cast) -> None:
    person = cast.a.people["employee"]
    ErasureRequest.objects.create(person=person, organisation=person.organisation, reason="Weg ermee.")


def request_a(cast: Cast) -> dict[str, Any]:
    return {"pk": ErasureRequest.objects.get(person=cast.a.people["employee"]).pk}


ACCESS: dict[str, Access] = {
    "privacy:export_json": Access(ok=HAS_PERSON),
    "privacy:export_xlsx": Access(ok=HAS_PERSON),
    "privacy:my_erasure": Access(ok=HAS_PERSON),
    "privacy:erasure_list": Access(ok=HANDLER),
    "privacy:erasure_detail": Access(kwargs=request_a, org=True, ok=HANDLER),
    "privacy:erasure_execute": Access(kwargs=request_a, org=True, ok=HANDLER, method="post", success=302),
    "privacy:erasure_refuse": Access(
        kwargs=request_a, org=True, ok=HANDLER, method="post", data={"note": "Nee."}, success=302
    ),
    "privacy:retention": Access(ok=HANDLER),
}
