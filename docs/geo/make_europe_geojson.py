"""Make explorer/static/europe.geojson from Natural Earth's 1:50m countries as the npm package world-atlas 2.0.2
ships them (countries-50m.json, TopoJSON; Natural Earth is public domain):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python docs/geo/make_europe_geojson.py package/countries-50m.json explorer/static/europe.geojson

Kept: every country with land in the box around Europe (longitude -25..45, latitude 34..72), each ring that has a
point in the box (overseas territories are left out), coordinates rounded to 0.05 degrees with repeated points
dropped. Each feature's id is the ISO 3166-1 alpha-3 code (from the numeric code, with pycountry), the code the
graph's country IRIs end with; Kosovo (no ISO code) is XKX. Run once; the output is committed.
"""

from __future__ import annotations

import json
import sys

import pycountry

BOX = (-25.0, 34.0, 45.0, 72.0)
STEP = 0.05


def arcs_of(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees (delta-decoded, then the quantisation transform)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def ring(arcs: list, indices: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def rounded(points: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in points:
        p = [round(round(x / STEP) * STEP, 2), round(round(y / STEP) * STEP, 2)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def in_box(points) -> bool:
    return any(BOX[0] <= x <= BOX[2] and BOX[1] <= y <= BOX[3] for x, y in points)


def alpha3(numeric: str | None, name: str) -> str | None:
    if name == "Kosovo":
        return "XKX"
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_3 if country else None


def main(source: str, target: str) -> None:
    topology = json.load(open(source, encoding="utf-8"))
    arcs = arcs_of(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs") or []
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        kept = []
        for polygon in polygons:
            rings = [ring(arcs, r) for r in polygon]
            if rings and in_box(rings[0]):
                shapes = [rounded(r) for r in rings]
                if len(shapes[0]) >= 4:
                    kept.append([s for s in shapes if len(s) >= 4])
        code = alpha3(geometry.get("id"), geometry["properties"]["name"])
        if kept and code:
            features.append({"type": "Feature", "id": code,
                             "properties": {"name": geometry["properties"]["name"]},
                             "geometry": {"type": "MultiPolygon", "coordinates": kept}})
    features.sort(key=lambda f: f["id"])
    collection = {"type": "FeatureCollection", "features": features}
    with open(target, "w", encoding="utf-8") as out:
        json.dump(collection, out, separators=(",", ":"))
    print(f"{len(features)} countries written to {target}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
