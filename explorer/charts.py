"""Charts for query results and the overview (Altair, drawn by Streamlit; nothing is fetched from outside).

The map is a tile grid of Europe (one square per country, placed roughly where the country is): it needs no map
tiles or boundary files, so it works offline, and small countries are as visible as large ones.

>>> tile_frame({"FRA": 3, "USA": 2})[["country", "value"]].to_dict("records")
[{'country': 'FRA', 'value': 3}]
"""

from __future__ import annotations

import altair as alt
import pandas as pd

# (column, row) of each country's tile.
TILES = {
    "ISL": (0, 0), "NOR": (4, 0), "SWE": (5, 0), "FIN": (6, 0),
    "IRL": (0, 1), "GBR": (1, 1), "DNK": (4, 1), "EST": (6, 1),
    "NLD": (2, 2), "DEU": (3, 2), "POL": (4, 2), "LTU": (5, 2), "LVA": (6, 2),
    "BEL": (1, 3), "LUX": (2, 3), "CZE": (3, 3), "SVK": (4, 3), "UKR": (5, 3),
    "LIE": (0, 4), "FRA": (1, 4), "CHE": (2, 4), "AUT": (3, 4), "HUN": (4, 4), "ROU": (5, 4), "MDA": (6, 4),
    "PRT": (0, 5), "ESP": (1, 5), "ITA": (2, 5), "SVN": (3, 5), "HRV": (4, 5), "SRB": (5, 5), "BGR": (6, 5),
    "AND": (0, 6), "MCO": (1, 6), "MLT": (2, 6), "BIH": (4, 6), "MNE": (5, 6), "MKD": (6, 6),
    "ALB": (5, 7), "GRC": (6, 7), "TUR": (7, 7), "CYP": (8, 7),
}


def tile_frame(values: dict[str, float]) -> pd.DataFrame:
    """Rows for the European countries among ``values`` (alpha-3 code -> number)."""
    rows = [{"country": code, "value": value, "col": TILES[code][0], "row": TILES[code][1]}
            for code, value in values.items() if code in TILES]
    return pd.DataFrame(rows, columns=["country", "value", "col", "row"])


def tile_map(values: dict[str, float], *, title: str) -> alt.LayerChart:
    frame = tile_frame(values)
    base = alt.Chart(frame).encode(x=alt.X("col:O", axis=None), y=alt.Y("row:O", axis=None))
    tiles = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("value:Q", title=title, scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("value:Q", title=title)])
    labels = base.mark_text(fontSize=11).encode(text="country:N")
    return (tiles + labels).properties(height=300)


def bar(frame: pd.DataFrame, *, x: str, y: str, colour: str | None = None, sort: bool = True) -> alt.Chart:
    """Horizontal bars: one per value of ``x`` (a label), length ``y`` (a number)."""
    encoding = {"y": alt.Y(f"{x}:N", sort="-x" if sort else None, title=None,
                           axis=alt.Axis(labelOverlap=False, labelLimit=260)),
                "x": alt.X(f"{y}:Q", title=y), "tooltip": [f"{x}:N", f"{y}:Q"]}
    if colour:
        encoding["color"] = alt.Color(f"{colour}:N")
        encoding["tooltip"].append(f"{colour}:N")
    return alt.Chart(frame).mark_bar().encode(**encoding).properties(height=max(140, 24 * frame[x].nunique()))


def timeline(frame: pd.DataFrame, *, x: str, y: str) -> alt.Chart:
    """One point per row at its date ``x``, on the row of its label ``y``."""
    data = frame.assign(**{x: pd.to_datetime(frame[x].astype(str).str[:10], errors="coerce")}).dropna(subset=[x])
    return alt.Chart(data).mark_circle(size=80).encode(
        x=alt.X(f"{x}:T", title=x), y=alt.Y(f"{y}:N", sort="x", title=None, axis=alt.Axis(labelOverlap=False)),
        tooltip=[f"{y}:N", f"{x}:T"]).properties(height=max(140, 24 * data[y].nunique()))
