"""A small browser for the fault scripts: cookies, the CSRF token, no redirect following."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    def __init__(self, base_url: str, session_cookie: str = "", cookie_name: str = "sessionid") -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(_NoRedirect)
        self.headers = {"Accept-Language": "nl"}
        self.cookies = {cookie_name: session_cookie} if session_cookie else {}

    def request(
        self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers = {**self.headers, "Cookie": cookie, **(headers or {})}
        req = urllib.request.Request(self.base_url + path, data=body, headers=all_headers)  # noqa: S310
        try:
            with self.opener.open(req, timeout=30) as response:
                self._keep(response.headers.get_all("Set-Cookie") or [])
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            self._keep(error.headers.get_all("Set-Cookie") or [])
            return error.code, error.read().decode("utf-8", "replace")

    def _keep(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            name, _sep, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in header:
                self.cookies[name.strip()] = value

    def csrf(self, page: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return match.group(1) if match else ""
