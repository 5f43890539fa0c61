"""The flow network: the shared engine behind complementary suppression in two-way
tables and trees."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from vitaal.core.disclosure.checks import _is_small

# --------------------------------------------------------------------------------------
# Flow network: the shared engine for two-way tables and trees
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Edge:
    tail: int
    head: int
    value: int
    unknown: bool  # hidden from the reader: a suppressed count or an unpublished remainder
    usable: bool  # may be suppressed as a complement


class _Network:
    """Published counts as flows on a directed graph where every node balances.

    A two-way table and a tree of groups both fit this shape: each count appears in at
    most two sum relations, once on each side. Hidden counts can then only change together
    along cycles of hidden edges, so "can a hidden count be worked out?" becomes "does its
    edge lie on a cycle of hidden edges that can be walked without pushing any hidden
    count below 1?". Walking an edge forwards raises its count; backwards lowers it,
    which needs the count to be at least 2.
    """

    def __init__(self, size: int):
        self.edges: list[_Edge] = []
        self._out: list[list[int]] = [[] for _ in range(size)]
        self._in: list[list[int]] = [[] for _ in range(size)]

    def add(self, tail: int, head: int, value: int, *, unknown: bool, usable: bool = True) -> int:
        edge_id = len(self.edges)
        self.edges.append(_Edge(tail, head, value, unknown, usable))
        self._out[tail].append(edge_id)
        self._in[head].append(edge_id)
        return edge_id

    def _arcs(self, node: int, exclude: int, *, hidden_only: bool) -> Iterator[tuple[int, int, int]]:
        """Yield (next node, edge, cost) for each step out of ``node``."""
        for edge_id in self._out[node]:
            edge = self.edges[edge_id]
            if edge_id == exclude:
                continue
            if edge.unknown:
                yield edge.head, edge_id, 0
            elif not hidden_only and edge.usable and edge.value > 0:
                yield edge.head, edge_id, edge.value
        for edge_id in self._in[node]:
            edge = self.edges[edge_id]
            if edge_id == exclude or edge.value < 2:
                continue
            if edge.unknown:
                yield edge.tail, edge_id, 0
            elif not hidden_only and edge.usable:
                yield edge.tail, edge_id, edge.value

    def _path(
        self, source: int, target: int, exclude: int, *, hidden_only: bool
    ) -> tuple[tuple[int, int], list[int]] | None:
        """Cheapest walk from source to target: least total count newly hidden, then fewest
        cells. Already hidden edges are free, so existing suppressions are reused first."""
        best: dict[int, tuple[int, int]] = {source: (0, 0)}
        came_from: dict[int, tuple[int, int]] = {}
        done: set[int] = set()
        heap: list[tuple[tuple[int, int], int]] = [((0, 0), source)]
        while heap:
            cost, node = heapq.heappop(heap)
            if node in done:
                continue
            done.add(node)
            if node == target:
                break
            for nxt, edge_id, step in self._arcs(node, exclude, hidden_only=hidden_only):
                new_cost = (cost[0] + step, cost[1] + (1 if step else 0))
                if nxt not in best or new_cost < best[nxt]:
                    best[nxt] = new_cost
                    came_from[nxt] = (node, edge_id)
                    heapq.heappush(heap, (new_cost, nxt))
        if target not in done:
            return None
        path = []
        node = target
        while node != source:
            node, edge_id = came_from[node]
            path.append(edge_id)
        return best[target], path[::-1]

    def is_protected(self, edge_id: int) -> bool:
        edge = self.edges[edge_id]
        if self._path(edge.head, edge.tail, edge_id, hidden_only=True) is not None:
            return True
        return edge.value >= 2 and (self._path(edge.tail, edge.head, edge_id, hidden_only=True) is not None)

    def protect(self, edge_ids: Iterable[int]) -> list[int]:
        """Close every given hidden edge into a movable cycle; returns the edges newly
        hidden, in the order they were chosen."""
        queue = list(edge_ids)
        added: list[int] = []
        position = 0
        while position < len(queue):
            edge_id = queue[position]
            position += 1
            if self.is_protected(edge_id):
                continue
            edge = self.edges[edge_id]
            options = [self._path(edge.head, edge.tail, edge_id, hidden_only=False)]
            if edge.value >= 2:
                options.append(self._path(edge.tail, edge.head, edge_id, hidden_only=False))
            found = [option for option in options if option is not None]
            if not found:
                raise RuntimeError("No complementary suppression pattern exists.")
            _cost, path = min(found, key=lambda option: option[0])
            for step in path:
                if not self.edges[step].unknown:
                    self.edges[step].unknown = True
                    added.append(step)
                    queue.append(step)
        return added

    def protect_sums(self, k: int) -> list[int]:
        """At a node whose hidden edges all sit on one side, their sum is a published
        difference ("total minus shown parts") and so a group size of its own: it must be
        0 or at least k. Adding a shown edge of that side (each is >= k) settles it."""
        added: list[int] = []
        for node in range(len(self._out)):
            hidden_in = [e for e in self._in[node] if self.edges[e].unknown]
            hidden_out = [e for e in self._out[node] if self.edges[e].unknown]
            if bool(hidden_in) == bool(hidden_out):
                continue
            side, other = (
                (self._in[node], self._out[node]) if hidden_in else (self._out[node], self._in[node])
            )
            if not _is_small(sum(self.edges[e].value for e in side if self.edges[e].unknown), k):
                continue
            pick = self._cheapest_shown(side)
            if pick is None:
                pick = self._cheapest_shown(other)
            if pick is None:
                raise RuntimeError("No shown count left to hide beside a small difference.")
            self.edges[pick].unknown = True
            added.append(pick)
        return added

    def _cheapest_shown(self, edge_ids: Sequence[int]) -> int | None:
        candidates = [
            e
            for e in edge_ids
            if not self.edges[e].unknown and self.edges[e].usable and self.edges[e].value > 0
        ]
        return min(candidates, key=lambda e: (self.edges[e].value, e), default=None)
