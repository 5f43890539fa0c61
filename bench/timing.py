"""The client side of the page benchmark: sequential GET requests over one keep-alive
connection, each checked (status 200, the page's marker in the body) and timed from
sending the request to the last byte of the body.

Only the standard library: the client must cost the same for the floor and every page,
and must not need a dependency the product does not have.
"""

from __future__ import annotations

import http.client
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


class BenchError(RuntimeError):
    """A measurement that cannot be trusted: a wrong status, a wrong page, wrong numbers."""


@dataclass(frozen=True)
class Target:
    """One page to measure: where it is, whose session asks for it, and a string that
    only the real page contains (a login page or error page would not)."""

    key: str
    label: str
    path: str
    email: str
    marker: str
    note: str = ""


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.seconds.append(value)

    def summary(self) -> dict[str, float | int]:
        return {
            "n": len(self.seconds),
            "p50_ms": round(percentile(self.seconds, 50) * 1000, 3),
            "p95_ms": round(percentile(self.seconds, 95) * 1000, 3),
        }


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile with linear interpolation between the closest ranks."""
    if not values:
        raise BenchError("no samples to take a percentile of")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


class PageClient:
    """One HTTP/1.1 connection, reused while the server keeps it open (gunicorn's gthread
    workers do; sync workers close it after every response, and then it is reopened)."""

    def __init__(self, host: str, port: int, timeout: float = 120.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.connection: http.client.HTTPConnection | None = None
        self.opened = 0

    def _connection(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.opened += 1
        return self.connection

    def get(self, path: str, cookie: str) -> tuple[int, bytes, float, http.client.HTTPResponse]:
        """GET ``path``; returns (status, body, seconds, response). Retries once on a
        connection the server closed between requests (never on a timed request's error)."""
        headers = {"Cookie": cookie, "Accept-Language": "en", "Connection": "keep-alive"}
        for attempt in (1, 2):
            connection = self._connection()
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            if response.will_close:
                self.close()
            return response.status, body, elapsed, response
        raise BenchError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def check(target: Target, status: int, body: bytes, response: http.client.HTTPResponse) -> None:
    """Fail loudly unless this is the real page: 200, HTML, with the page's marker."""
    if status != 200:
        where = response.getheader("Location") or body[:300].decode("utf-8", "replace")
        raise BenchError(f"{target.key}: {target.path} answered {status} ({where})")
    if target.marker.encode() not in body:
        raise BenchError(
            f"{target.key}: {target.path} answered 200 without its marker {target.marker!r}; "
            f"the page starts with {body[:300].decode('utf-8', 'replace')!r}"
        )


def measure(
    client: PageClient,
    floor: Target,
    pages: Sequence[Target],
    cookies: dict[str, str],
    *,
    requests: int,
    warmup: int,
) -> tuple[Samples, dict[str, Samples]]:
    """Warm up, then ``requests`` rounds. In every round each page is asked for once,
    each time right after the floor with the same session, and the starting page moves
    on by one every round: slow drift of the machine hits floor and pages alike."""
    for target in [floor, *pages]:
        for _ in range(warmup):
            for page in pages if target is floor else [target]:
                status, body, _s, response = client.get(target.path, cookies[page.email])
                check(target, status, body, response)
    floor_samples = Samples()
    samples = {page.key: Samples() for page in pages}
    for round_no in range(requests):
        shift = round_no % len(pages)
        for page in [*pages[shift:], *pages[:shift]]:
            cookie = cookies[page.email]
            status, body, seconds, response = client.get(floor.path, cookie)
            check(floor, status, body, response)
            floor_samples.add(seconds)
            status, body, seconds, response = client.get(page.path, cookie)
            check(page, status, body, response)
            samples[page.key].add(seconds)
    return floor_samples, samples
