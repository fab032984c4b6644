"""Charts for answers and the overview (Altair, drawn by Streamlit; nothing is fetched from outside).

Country answers go on a choropleth of Europe drawn from the boundaries shipped in ``static/europe.geojson``
(Natural Earth, see static/README.md); countries off that map are listed under it by the caller.

>>> sorted(map_values({"FRA": 3, "USA": 2}, {"FRA": "France"}))[:1]
[('FRA', 'France', 3)]
>>> "USA" in codes(), "DEU" in codes()
(False, True)
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

import altair as alt
import pandas as pd

#: Europe's extent on the map: what the projection fits (longitude -11..35, latitude 35..70).
_EXTENT = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[-11, 35], [35, 35], [35, 70],
                                                                                 [-11, 70]]}, "properties": {}}
_LABEL_LIMIT = 320  # pixels: long names are shown whole up to here, then cut with an ellipsis (tooltip has it all)


@cache
def europe() -> dict:
    """The shipped boundaries (GeoJSON FeatureCollection, feature ids are ISO alpha-3 codes)."""
    return json.loads(files("euaigraph.explorer").joinpath("static", "europe.geojson").read_text(encoding="utf-8"))


def codes() -> frozenset[str]:
    return frozenset(f["id"] for f in europe()["features"])


def map_values(values: dict[str, float], names: dict[str, str]) -> list[tuple[str, str, float]]:
    """``(code, name, value)`` for the countries among ``values`` that are on the map."""
    return [(code, names.get(code, code), value) for code, value in values.items() if code in codes()]


def choropleth(values: dict[str, float], names: dict[str, str], *, title: str, height: int = 460) -> alt.LayerChart:
    """Countries shaded by ``values`` (alpha-3 code -> number); countries without a value in light grey."""
    features = []
    for feature in europe()["features"]:
        code = feature["id"]
        features.append({**feature, "properties": {"code": code, "name": names.get(code, feature["properties"]["name"]),
                                                   "value": values.get(code)}})
    data = alt.InlineData(values={"type": "FeatureCollection", "features": features},
                          format=alt.DataFormat(property="features", type="json"))
    projection = {"type": "azimuthalEqualArea", "rotate": [-12, -52, 0], "fit": _EXTENT}
    ground = alt.Chart(data).mark_geoshape(fill="#eeeeee", stroke="white", strokeWidth=0.6).project(**projection)
    shaded = alt.Chart(data).mark_geoshape(stroke="white", strokeWidth=0.6).encode(
        color=alt.Color("properties.value:Q", title=title, scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(orient="left", format=",")),
        tooltip=[alt.Tooltip("properties.name:N", title="Country"),
                 alt.Tooltip("properties.value:Q", title=title, format=",")],
    ).transform_filter("isValid(datum.properties.value)").project(**projection)
    return (ground + shaded).properties(height=height, width="container")


def bar(frame: pd.DataFrame, *, x: str, y: str, colour: str | None = None, sort: bool = True,
        money: bool = False) -> alt.Chart:
    """Horizontal bars: one per value of ``x`` (a label, shown whole up to 320 px), length ``y`` (a number)."""
    fmt = ",.0f" if money else ","
    encoding = {"y": alt.Y(f"{x}:N", sort="-x" if sort else None, title=None,
                           axis=alt.Axis(labelOverlap=False, labelLimit=_LABEL_LIMIT)),
                "x": alt.X(f"{y}:Q", title=f"{y} (€)" if money else y, axis=alt.Axis(format=fmt, tickMinStep=1)),
                "tooltip": [alt.Tooltip(f"{x}:N"), alt.Tooltip(f"{y}:Q", format=fmt)]}
    if colour:
        encoding["color"] = alt.Color(f"{colour}:N")
        encoding["tooltip"].append(alt.Tooltip(f"{colour}:N"))
    chart = alt.Chart(frame).mark_bar().encode(**encoding)
    return chart.properties(height=max(160, 26 * frame[x].nunique()))


def timeline(frame: pd.DataFrame, *, x: str, y: str, colour: str | None = None) -> alt.Chart:
    """One point per row at its date ``x`` (full dates on the axis and in the tooltip), on the row of its label
    ``y``; ``colour`` (a column) colours the points. Rows whose date is not a day are left out by the caller."""
    data = frame.assign(**{x: pd.to_datetime(frame[x].astype(str).str[:10], errors="coerce", format="mixed")})
    data = data.dropna(subset=[x])
    encoding = {"x": alt.X(f"{x}:T", title=x, axis=alt.Axis(format="%Y-%m-%d", labelAngle=-30)),
                "y": alt.Y(f"{y}:N", sort=alt.EncodingSortField(field=x, op="min"), title=None,
                           axis=alt.Axis(labelOverlap=False, labelLimit=_LABEL_LIMIT)),
                "tooltip": [alt.Tooltip(f"{y}:N"), alt.Tooltip(f"{x}:T", format="%Y-%m-%d")]}
    if colour and colour in data:
        encoding["color"] = alt.Color(f"{colour}:N", legend=alt.Legend(orient="top"))
        encoding["tooltip"].append(alt.Tooltip(f"{colour}:N"))
    return alt.Chart(data).mark_circle(size=90, opacity=0.85).encode(**encoding).properties(
        height=max(160, 24 * data[y].nunique()))


def by_columns(frame: pd.DataFrame, *, kind: str, x: str, y: str | None, colour: str | None = None) -> alt.Chart:
    """A chart of any table by the analyst's choice of columns: bar (x a label, y a number or the row count),
    line or points (x anything, y a number)."""
    data = frame.copy()
    if y is None:
        data = data.groupby(x, dropna=False).size().reset_index(name="rows")
        y = "rows"
    if kind == "bar":
        return bar(data, x=x, y=y, colour=colour if colour in data else None)
    mark = alt.Chart(data).mark_line(point=True) if kind == "line" else alt.Chart(data).mark_circle(size=70)
    encoding = {"x": alt.X(x, title=x), "y": alt.Y(f"{y}:Q", title=y),
                "tooltip": [alt.Tooltip(c) for c in data.columns[:6]]}
    if colour and colour in data:
        encoding["color"] = alt.Color(f"{colour}:N")
    return mark.encode(**encoding).properties(height=380)
