"""Input checks shared by the protect_* functions."""

from __future__ import annotations

# --------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------


def _check_threshold(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"The minimum cell size must be a positive integer, not {k!r}.")
    return k


def _check_count(value: object, where: object) -> int:
    # bool is an int subclass; a True slipping in as "1" would be a silent bug.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"Count for {where!r} must be a non-negative integer, not {value!r}.")
    return value


def _is_small(value: int, k: int) -> bool:
    # Zero is published: an empty group points at nobody.
    return 0 < value < k
