"""Meter sessions, radar and comparisons, evidence, the cycle and its phases, groups, coordinator,
works-council advice, phase registration."""
