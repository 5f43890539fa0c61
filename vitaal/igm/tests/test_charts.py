"""The radar chart is well-formed SVG with one polygon per series, and a table of the same numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from vitaal.igm.charts import RadarSeries, radar_svg, radar_table

SVG = "{http://www.w3.org/2000/svg}"
AXES = ["Gezondheid als strategisch thema", "Primair proces", "Fysiek & <sociaal>", "Vitale mensen"]


def test_svg_is_well_formed_with_one_polygon_per_series_and_accessible_names():
    series = [RadarSeries("Nulmeting", [20, 40, 60, None]), RadarSeries("Hermeting", [50, 55.5, 70, 80])]
    svg = radar_svg(AXES, series, title="IGM radar", description="Scores 0-100 per line.")
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "IGM radar"
    assert "Hermeting" in root.find(f"{SVG}desc").text
    assert len(root.findall(f".//{SVG}polygon")) == 2
    groups = root.findall(f"{SVG}g[@class='series']")
    assert [len(g.findall(f"{SVG}polygon")) for g in groups] == [1, 1]
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "<sociaal>" in texts  # escaped in the source, readable after parsing


def test_table_has_the_same_numbers():
    series = [RadarSeries("A", [20, 40.04, 60, None])]
    rows = radar_table(AXES, series)
    assert [r.axis for r in rows] == AXES
    assert [r.values for r in rows] == [(20.0,), (40.0,), (60.0,), (None,)]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        radar_svg(AXES[:2], [RadarSeries("A", [1, 2])], title="t")
    with pytest.raises(ValueError):
        radar_svg(AXES, [RadarSeries("A", [1, 2, 3])], title="t")
    with pytest.raises(ValueError):
        radar_svg(AXES, [RadarSeries("A", [1, 2, 3, 101])], title="t")
