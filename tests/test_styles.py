"""How classes are drawn (`demos.styles`): six records, each its own colour-blind-safe colour and
shape, read by the chapters' figures and the playground's page alike."""

from pathlib import Path

import matplotlib.markers
import pytest

from demos.styles import CLASSES, class_styles

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
PLOTS_JS = (Path(__file__).resolve().parents[1] / "demos" / "playground" / "static" / "plots.js").read_text()


def test_six_classes_each_with_its_own_okabe_ito_colour_and_shape():
    assert len(CLASSES) >= 6
    for field in ("name", "colour", "marker", "shape"):
        assert len({getattr(c, field) for c in CLASSES}) == len(CLASSES), field
    assert {c.colour for c in CLASSES} <= OKABE_ITO


@pytest.mark.parametrize("style", CLASSES, ids=lambda c: c.name)
def test_every_class_is_drawn_by_matplotlib_and_by_the_page(style):
    assert style.marker in matplotlib.markers.MarkerStyle.markers
    # the page's shapePath draws each shape by name; a circle is what it draws otherwise
    assert style.shape == "circle" or f'shape === "{style.shape}"' in PLOTS_JS


def test_the_first_two_are_the_workshops_red_and_blue_dots():
    assert [c.name for c in CLASSES[:2]] == ["red", "blue"]
    assert class_styles()[1] == {"name": "blue", "colour": "#0072B2", "marker": "^", "shape": "triangle"}


def test_a_figure_draws_each_class_in_its_colour_and_shape():
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from demos.common import plot_dots

    X = [[float(k), 0.0] for k in range(6)]
    fig, ax = plt.subplots()
    plot_dots(ax, X, list(range(6)))
    drawn = ax.collections
    assert [to_hex(c.get_facecolor()[0]).upper() for c in drawn] == [c.colour.upper() for c in CLASSES[:6]]
    plt.close(fig)
