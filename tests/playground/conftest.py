"""A real browser for the playground's tests: Debian's chromium, driven by Playwright."""

import pytest

from demos.playground.browser import CHROMIUM, FLAGS
from demos.playground.server import serve

needs_browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed: `make test` installs it when run as root "
    "(apt-get install chromium); Playwright's own browser download cannot work here",
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": FLAGS}


@pytest.fixture
def server():
    running = serve()
    yield running
    running.stop()


@pytest.fixture
def opened(page, server):
    """The page at `query`, with every console message and request it makes recorded."""
    seen = {"console": [], "requests": [], "errors": []}
    page.on("console", lambda m: seen["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))

    def open_page(query: str = "points=60&hidden=4&activations=tanh"):
        page.goto(server.url + ("?" + query if query else ""))
        page.wait_for_function("document.getElementById('step').textContent !== ''")
        page.wait_for_function("document.getElementById('fps').textContent !== '0'")
        return page, seen

    return open_page


@pytest.fixture
def laptop(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    return page


def session_of(server):
    """The one session a test's page opened on `server`."""
    ((session, _),) = server.sessions.live.values()
    return session


# The plot's pixels, as [r, g, b] each, with the dots' (much fewer) among them.
PLOT_COLOURS = """() => { const c = document.getElementById('plot');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const seen = new Set();
  for (let k = 0; k < d.length; k += 4) seen.add(`${d[k]},${d[k + 1]},${d[k + 2]}`);
  return [...seen].map((s) => s.split(',').map(Number)); }"""


def unshaded(page, hex_colours: tuple[str, ...], least: float = 0.3) -> list[str]:
    """The class colours of `hex_colours` that no pixel of the plot shows at `least` of its full
    strength (shade_of): a region missing from the boundary."""
    colours = page.evaluate(PLOT_COLOURS)
    return [hex_colour for hex_colour in hex_colours if max(shade_of(hex_colour, c) for c in colours) < least]


def shade_of(hex_colour: str, pixel: list[int]) -> float:
    """How far `pixel` lies from white towards the class colour as the plot lightens it (0 to 1),
    or 0 if it is of another hue."""
    full = [int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)]
    light = [v + (255 - v) * 0.55 for v in full]
    shares = [(255 - p) / (255 - v) for p, v in zip(pixel, light)]
    return min(shares) if max(shares) - min(shares) < 0.08 else 0.0
