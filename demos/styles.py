"""How each class of dots is drawn, everywhere: the chapters' figures and the playground's page.

One record per class in `CLASSES`, class k drawn by record k: a colour from Okabe and Ito's
palette, which readers with any common colour-vision deficiency tell apart, and a shape of its
own, so that no one needs colour at all. Six records: today's datasets have two classes (the
workshop's red and blue dots); the rest are there for more. Test dots are drawn hollow, in their
class's shape. Pure data, no import beyond the standard library: the page gets it as JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["ClassStyle", "CLASSES", "class_styles"]


@dataclass(frozen=True)
class ClassStyle:
    """How dots of one class are drawn: `name` as people say it, `colour` (hex), `marker`
    (matplotlib's) and `shape` (the page's, by the same name as `marker` draws)."""

    name: str
    colour: str
    marker: str
    shape: str


CLASSES: tuple[ClassStyle, ...] = (
    ClassStyle("red", "#D55E00", "o", "circle"),  # Okabe–Ito vermillion
    ClassStyle("blue", "#0072B2", "^", "triangle"),
    ClassStyle("green", "#009E73", "s", "square"),  # bluish green
    ClassStyle("orange", "#E69F00", "D", "diamond"),
    ClassStyle("purple", "#CC79A7", "v", "triangle-down"),  # reddish purple
    ClassStyle("sky blue", "#56B4E9", "P", "plus"),
)


def class_styles() -> list[dict]:
    """`CLASSES` as the page reads them (JSON)."""
    return [asdict(c) for c in CLASSES]
