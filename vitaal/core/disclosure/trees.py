"""Nested groups, each count including its sub-groups (an organisation's unit tree)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vitaal.core.disclosure.checks import _check_count, _check_threshold, _is_small
from vitaal.core.disclosure.network import _Network
from vitaal.core.disclosure.results import (
    COMPLEMENTARY,
    OVERLAP,
    PRIMARY,
    K,
    ProtectedNode,
    ProtectedTree,
    Reason,
    _cell,
)

# --------------------------------------------------------------------------------------
# Nested groups
# --------------------------------------------------------------------------------------


def protect_tree(counts: Mapping[K, int], parents: Mapping[K, K | None], k: int) -> ProtectedTree[K]:
    """Protect the counts of nested groups, each count including all its sub-groups.

    ``parents`` maps a group to the group directly above it (None or absent for a top
    group). Pass the tree as it is published: if a level is left out of the report, hang
    its children under the next shown level. Apart from the primary rule, a shown group
    minus its shown sub-groups (the members it has of its own, plus any hidden sub-groups)
    must not be a small group; that covers "parent minus child" as a special case.
    """
    _check_threshold(k)
    keys = list(counts)
    index = {key: i for i, key in enumerate(keys)}
    values = [_check_count(counts[key], key) for key in keys]
    parent: list[int | None] = []
    for key in keys:
        above = parents.get(key)
        if above is not None and above not in index:
            raise ValueError(f"The parent {above!r} of {key!r} has no count.")
        parent.append(None if above is None else index[above])
    unknown_keys = set(parents) - set(index)
    if unknown_keys:
        raise ValueError(f"Parents are given for groups without a count: {unknown_keys}.")

    size = len(keys)
    children: list[list[int]] = [[] for _ in range(size)]
    for i, p in enumerate(parent):
        if p is not None:
            children[p].append(i)
    depth = _depths(parent, keys)
    own = [values[i] - sum(values[c] for c in children[i]) for i in range(size)]
    for i in range(size):
        if own[i] < 0:
            raise ValueError(f"{keys[i]!r} counts fewer than its sub-groups together.")

    reasons: list[Reason | None] = [PRIMARY if _is_small(v, k) else None for v in values]

    def shown(i: int) -> bool:
        return reasons[i] is None

    def unexplained(x: int) -> int:
        # What a reader gets from x minus the nearest shown groups below it: x's own
        # members plus those of hidden groups in between.
        below = 0
        stack = list(children[x])
        while stack:
            c = stack.pop()
            if shown(c):
                below += values[c]
            else:
                stack.extend(children[c])
        return values[x] - below

    def cheapest_cover(x: int) -> list[int]:
        # Hide the cheapest chain of shown groups below x that ends in a group whose own
        # unexplained part is positive (hence >= k): that part then joins x's.
        best: tuple[int, int, int] | None = None
        best_path: list[int] = []
        order = 0
        stack: list[tuple[int, int, list[int]]] = [(c, 0, []) for c in reversed(children[x])]
        while stack:
            c, cost, path = stack.pop()
            order += 1
            if not shown(c):
                # Already hidden: passing through costs nothing.
                stack.extend((g, cost, path) for g in reversed(children[c]))
                continue
            if values[c] == 0:
                continue
            cost, path = cost + values[c], [*path, c]
            if unexplained(c) > 0:
                candidate = (cost, len(path), order)
                if best is None or candidate < best:
                    best, best_path = candidate, path
            else:
                # Nothing unexplained in c itself: hiding c alone gains nothing, look deeper.
                stack.extend((g, cost, path) for g in reversed(children[c]))
        if best is None:
            raise RuntimeError("No sub-group can cover a small remainder.")
        return best_path

    # Bottom-up, so that every shown group below x is already in order when x is handled.
    for x in sorted(range(size), key=lambda i: (-depth[i], i)):
        while shown(x) and _is_small(unexplained(x), k):
            for y in cheapest_cover(x):
                reasons[y] = OVERLAP

    # Exactness: each group is an edge from its own balance node (or the outside node 0
    # for a leaf) to its parent's (or the outside for a top group); each unit's own
    # members are an unpublished edge from the outside into its node.
    node_of = {i: n + 1 for n, i in enumerate(i for i in range(size) if children[i])}
    network = _Network(len(node_of) + 1)
    edge_of: dict[int, int] = {}
    for i in range(size):
        tail = node_of.get(i, 0)
        head = 0 if parent[i] is None else node_of[parent[i]]  # type: ignore[index]
        if tail == head == 0:
            continue  # a lone group: no sum involves it, so nothing can be derived
        edge_of[i] = network.add(tail, head, values[i], unknown=not shown(i))
    sensitive: list[int] = []
    for i, node in node_of.items():
        if own[i] > 0:
            edge_id = network.add(0, node, own[i], unknown=True, usable=False)
            if _is_small(own[i], k):
                sensitive.append(edge_id)
    group_of = {edge_id: i for i, edge_id in edge_of.items()}
    hidden_groups = [edge_of[i] for i in range(size) if i in edge_of and not shown(i)]
    for edge_id in network.protect([*hidden_groups, *sensitive]):
        reasons[group_of[edge_id]] = COMPLEMENTARY

    nodes = [
        ProtectedNode(
            keys[i],
            None if parent[i] is None else keys[parent[i]],  # type: ignore[index]
            depth[i],
            _cell(values[i], reasons[i]),
        )
        for i in range(size)
    ]
    return ProtectedTree(nodes, k)


def _depths(parent: Sequence[int | None], keys: Sequence[Any]) -> list[int]:
    depth: list[int | None] = [None] * len(parent)
    for start in range(len(parent)):
        chain = []
        node: int | None = start
        while node is not None and depth[node] is None:
            if node in chain:
                raise ValueError(f"The groups above {keys[node]!r} form a cycle.")
            chain.append(node)
            node = parent[node]
        base = -1 if node is None else depth[node]
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset  # type: ignore[operator]
    return [d for d in depth if d is not None]
