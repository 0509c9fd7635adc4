"""Reading the SVG that Graphviz's `dot` writes: nodes, edges and clusters by their titles."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Element:
    title: str
    texts: list[str]  # every <text> inside, in document order (one per line of a label)
    fills: list[str]
    strokes: list[str]
    geometry: list[str]  # the outlines drawn (cells, ellipses), not fills: where it was laid out


@dataclass
class Svg:
    nodes: dict[str, Element]
    edges: list[Element]
    clusters: dict[str, Element]


def parse_svg(svg: str | bytes) -> Svg:
    root = ET.fromstring(svg)
    found: dict[str, list[Element]] = {"node": [], "edge": [], "cluster": []}
    for g in root.iter(f"{SVG}g"):
        kind = g.get("class")
        if kind in found:
            found[kind].append(Element(
                title=g.find(f"{SVG}title").text,
                texts=[t.text or "" for t in g.iter(f"{SVG}text")],
                fills=[e.get("fill") for e in g.iter() if e.get("fill")],
                strokes=[e.get("stroke") for e in g.iter() if e.get("stroke")],
                geometry=[e.get("points") or f"{e.get('cx')},{e.get('cy')}" for e in g.iter()
                          if e.tag in (f"{SVG}polygon", f"{SVG}ellipse") and e.get("fill") == "none"],
            ))
    return Svg({n.title: n for n in found["node"]}, found["edge"], {c.title: c for c in found["cluster"]})


def render_svg(graph) -> Svg:
    """Render with the real `dot` and parse the result."""
    return parse_svg(graph.pipe(format="svg"))
