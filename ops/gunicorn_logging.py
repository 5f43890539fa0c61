"""gunicorn access logging without the survey respondent's address (docs/surveys.md,
"Anonymity"; used by ops/gunicorn.conf.py as ``logger_class``).

The respondent pages carry no code in their address, but a log line with the client's
address, the time, and "POST /surveys/answer/" still tells when someone at that address
answered. For those paths the address (``h`` and the proxy's ``X-Real-IP`` /
``X-Forwarded-For``), the user agent, the referrer and the query are left out; every other
page is logged in full as before.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

RESPONDENT_PATHS = re.compile(r"^/surveys/(start|answer|thanks)/")
WITHHELD = ("h", "{x-real-ip}i", "{x-forwarded-for}i", "a", "f", "q")


class RespondentPrivateLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO", "")
        if RESPONDENT_PATHS.match(path):
            for key in WITHHELD:
                atoms[key] = "-"
            atoms["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        return atoms
