"""The static site against the server, side by side in one run, in headless Chromium: the time to
ready to train (from navigation on a cold cache to the first frame drawn from a training step
after Play) and frames per second at the default set-up (2-8-8-1, 200 dots, batch 10, the
default speed), then a weight inspected and a dot's graph drawn, timed from the page.

    make bench     # or: python benchmarks/site.py   (needs Debian's chromium and `npm ci`)

Never part of the test suite. The site is built from this checkout into a temporary folder and
served by Python's standard static server; the server's page by `demos.playground`'s server.
Each measurement is a new browser context: nothing is cached.
"""

from __future__ import annotations

import functools
import statistics
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import demos.playground  # noqa: F401  (pins BLAS to one thread before NumPy loads)
from demos.playground.browser import CHROMIUM, FLAGS
from demos.playground.server import serve
from demos.playground.site import build

FPS_SECONDS = 6  # frames per second: the page's own count, read each second for this long


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def measure(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("html[data-ready=true]", timeout=120_000)
    page.click("#play")
    # performance.now() counts from the navigation's start: the first frame drawn with a step
    ready = page.evaluate(
        """() => new Promise((done) => {
             const look = () => Number(document.getElementById('step').textContent) > 0
               ? done(performance.now()) : requestAnimationFrame(look);
             look();
           })"""
    )
    counts = []
    for _ in range(FPS_SECONDS):
        time.sleep(1)
        counts.append(int(page.text_content("#fps")))
    page.click("#play")
    page.wait_for_function("document.getElementById('play').textContent === 'Play'")
    timed = {}
    weight = page.locator('#network [data-name="W1[1,1]"]')
    for what, click, done in [
        ("inspect", weight.click, "#parameter td[data-what=grad]"),
        ("graph", lambda: page.click("#dot-show"), "#dot-graph svg g.node"),
    ]:
        started = time.perf_counter()
        click()
        page.wait_for_selector(done, timeout=60_000)
        timed[what] = time.perf_counter() - started
    context.close()
    return {"ready": ready / 1e3, "fps": statistics.median(counts[1:]), **timed}


def main() -> None:
    if CHROMIUM is None:
        print("benchmarks/site.py: Debian's chromium is missing (make test installs it); skipped")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        built = build(Path(folder) / "site")
        files = functools.partial(Quiet, directory=str(Path(folder) / "site"))
        static = ThreadingHTTPServer(("127.0.0.1", 0), files)
        threading.Thread(target=static.serve_forever, daemon=True).start()
        server = serve()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                site = measure(browser, f"http://127.0.0.1:{static.server_address[1]}/")
                native = measure(browser, server.url)
                browser.close()
        finally:
            server.stop()
            static.shutdown()
    print("The playground at the default set-up (2-8-8-1, 200 dots, batch 10, speed 2), headless Chromium,")
    print(f"a cold cache each time; the site is {built['bytes'] / 2**20:.1f} MB")
    print(f"{'':44}{'static site':>14}{'server':>18}")
    rows = [
        ("ready to train (navigation → trained frame)", "ready", "{:.2f} s"),
        ("frames per second while training", "fps", "{:.0f}"),
        ("a weight inspected (click → shown)", "inspect", "{:.2f} s"),
        ("a dot's graph drawn (click → shown)", "graph", "{:.2f} s"),
    ]
    for title, key, shape in rows:
        print(f"{title:44}{shape.format(site[key]):>14}{shape.format(native[key]):>18}")


if __name__ == "__main__":
    main()
