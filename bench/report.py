"""The benchmark's table on the terminal (the JSON file holds the same and more)."""

from __future__ import annotations

from typing import Any


def _fmt(value: Any, suffix: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}" if value >= 10 else f"{value:.2f}{suffix}"
    return f"{value}{suffix}"


def _verdict(ratio: float | None, goal: float) -> str:
    if ratio is None:
        return "?"
    return "ok" if ratio <= goal else "MISSED"


def table_lines(results: dict[str, Any]) -> list[str]:
    dataset = results["dataset"]
    lines = [
        f"vitaal benchmark - {results['database']['vendor']}, scale {results['scale']['name']}: "
        f"{dataset['organisations']} organisations, {dataset['people']:,} people, "
        f"{dataset['care_requests']:,} care requests, largest survey wave "
        f"{dataset['largest_wave_responses']:,} responses",
    ]
    if "floor" in results:
        server = results["server"]
        lines += [
            f"gunicorn: {server['workers']} workers x {server['threads']} threads "
            f"({server['worker_class']}); "
            f"{results['requests_per_page']} timed requests per page, each after a floor request",
            "",
            f"{'page':38} {'p50 ms':>9} {'p95 ms':>9} {'p50/floor':>10} {'p95/floor':>10} "
            f"{'goal':>6} {'':>7} {'peak MB':>8}",
        ]
        floor = results["floor"]
        lines.append(
            f"{'floor (1 query, small template)':38} {_fmt(floor['p50_ms']):>9} {_fmt(floor['p95_ms']):>9} "
            f"{'1.00':>10} {_fmt(floor['p95_ms'] / floor['p50_ms']):>10} {'':>6} {'':>7} "
            f"{_fmt(floor['peak_rss_mb']):>8}"
        )
        for page in results["pages"]:
            lines.append(
                f"{page['label'][:38]:38} {_fmt(page['p50_ms']):>9} {_fmt(page['p95_ms']):>9} "
                f"{_fmt(page['p50_ratio']):>10} {_fmt(page['p95_ratio']):>10} "
                f"{'<=' + _fmt(page['goal']):>6} {_verdict(page['p50_ratio'], page['goal']):>7} "
                f"{_fmt(page['peak_rss_mb']):>8}"
            )
        met = sum(1 for page in results["pages"] if page["meets_goal"])
        lines.append(
            f"{met} of {len(results['pages'])} pages meet p50 <= {results['pages'][0]['goal']:g}x floor"
        )
    comparisons = [
        ("usage_report", "care release build vs raw SQL (quarter)", "raw_median_ms", "raw_peak_python_mb"),
        (
            "insurer_import",
            "insurer import vs calamine + bulk insert",
            "baseline_median_ms",
            "baseline_peak_python_mb",
        ),
    ]
    shown = [
        (label, results[key], base_ms, base_mb)
        for key, label, base_ms, base_mb in comparisons
        if key in results
    ]
    twelve = results.get("usage_report", {}).get("twelve_months")
    if twelve is not None:  # right after the quarter's line
        row = (
            "care release build vs raw SQL (12 months)",
            {**twelve, "goal": results["usage_report"]["goal"]},
        )
        shown.insert(1, (*row, "raw_median_ms", "raw_peak_python_mb"))
    if shown:
        lines += [
            "",
            f"{'comparison':44} {'ours ms':>10} {'base ms':>10} {'ratio':>7} {'goal':>6} {'':>7} "
            f"{'ours MB':>8} {'base MB':>8}",
        ]
        for label, r, base_ms, base_mb in shown:
            lines.append(
                f"{label:44} {_fmt(r['ours_median_ms']):>10} {_fmt(r[base_ms]):>10} {_fmt(r['ratio']):>7} "
                f"{'<=' + _fmt(r['goal']):>6} {_verdict(r['ratio'], r['goal']):>7} "
                f"{_fmt(r['ours_peak_python_mb']):>8} {_fmt(r[base_mb]):>8}"
            )
    return lines


def print_table(results: dict[str, Any]) -> None:
    print()
    print("\n".join(table_lines(results)))
