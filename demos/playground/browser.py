"""Driving the playground in Debian's chromium with Playwright: for `make figures`' screenshot and
the benchmark (the tests use the same browser and flags through pytest-playwright).

    python -m demos.playground.browser docs/figures/playground.png
    python -m demos.playground.browser docs/figures/playground-classes.png "dataset=spiral&classes=3" 200
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless=new",
    "--disable-dev-shm-usage",  # containers often have a small /dev/shm
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    *(["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),  # root: no sandbox
]


@contextmanager
def chromium_page(width: int = 1400, height: int = 1000) -> Iterator:
    """A Playwright page in the system's chromium (Playwright's own browser download is not used)."""
    if CHROMIUM is None:
        raise RuntimeError("Debian's chromium is needed: sudo apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


def wait_for_frames(page) -> None:
    page.wait_for_function("document.getElementById('fps').textContent !== '0'")


def screenshot(path: str, query: str = "", epochs: int = 20) -> None:
    """The page at the set-up of `query` (a link's; the default: the moons) after `epochs` of
    training, a weight inspected, a dot's graph shown, and a neuron's maths on that dot."""
    from autograd.files import write_bytes
    from demos.playground.server import serve

    server = serve()
    try:
        with chromium_page(1366, 768) as page:  # a laptop's, a projector's screen
            page.goto(server.url + (f"?{query}" if query else ""))
            wait_for_frames(page)
            page.get_by_label("Train, or pause").click()
            trained = f"Number(document.getElementById('epoch').textContent) > {epochs}"
            page.wait_for_function(trained, timeout=120_000)
            page.get_by_label("Train, or pause").click()
            time.sleep(0.3)
            session = next(iter(server.sessions.live.values()))[0]
            names = [n for n, _ in session.model.named_parameters()]
            name = next(n for n in names if session.inspect_parameter(n)["grad"])
            page.get_by_role("button", name=f"{name} = ").first.click()  # a weight that J depends on
            page.locator("#parameter li").first.wait_for()
            scores = session.model.predict(session.X_train)
            # One score: the dot nearest the boundary, whose loss is not zero; K scores: the first.
            index = int(abs(scores).argmin()) if scores.ndim == 1 else 0
            page.get_by_label("Training dot number").fill(str(index + 1))  # dots are numbered from 1
            page.get_by_label("Its loss's computation graph").click()
            page.locator("#dot-graph svg").wait_for()
            for _ in range(4):
                page.get_by_role("button", name="Next step").click()
            page.get_by_role("button", name="h1[2]", exact=True).click()  # a neuron's maths on that dot
            page.locator("#neuron table").wait_for()
            write_bytes(path, page.screenshot(full_page=True))
    finally:
        server.stop()


if __name__ == "__main__":
    given = sys.argv[1:]  # [path [query [epochs]]]
    screenshot(given[0] if given else "playground.png", *given[1:2], *map(int, given[2:3]))
