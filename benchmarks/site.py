"""The static site against the server, side by side in one run, in headless Chromium: the time to
ready to train (from navigation on a cold cache to the first frame drawn from a training step
after Play); frames per second that show new training steps at the default set-up (2-8-8-1, 200
dots, batch 10) at the default speed and at the fastest; a weight inspected and a dot's graph
drawn, timed from the page; frames and inspections at the browser's largest set-up; and frames
and steps with three classes and with a regression.

    make bench     # or: python benchmarks/site.py   (needs Debian's chromium and `npm ci`)

Never part of the test suite. The site is built from this checkout into a temporary folder and
served by Python's standard static server; the server's page by `demos.playground`'s server.
Each measurement is a new browser context: nothing is cached.
"""

from __future__ import annotations

import functools
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import demos.playground  # noqa: F401  (pins BLAS to one thread before NumPy loads)
from demos.playground.browser import CHROMIUM, FLAGS
from demos.playground.server import serve
from demos.playground.site import build

FPS_SECONDS = 6  # frames counted for this long, after the first second of training
LARGEST = "hidden=16+16&points=1000"  # the browser's largest set-up (worker.BROWSER_LIMITS)
BEYOND = {  # beyond red and blue, at the default network and dots, the fastest speed
    "classes": "dataset=spiral&classes=3&speed=max",  # 2-8-8-3: K regions shaded by confidence
    "regression": "dataset=bump&speed=max",  # 2-8-8-1: a heatmap of the prediction
}

# Frames that show new training steps: the step counter read at every animation frame, a frame
# counted when it changed (each such frame also carries the boundary computed after its steps).
COUNT_FRAMES = """(seconds) => new Promise((done) => {
  const step = () => Number(document.getElementById('step').textContent);
  const first = step(), start = performance.now();
  let last = first, frames = 0;
  const look = () => {
    const now = step();
    if (now !== last) { frames += 1; last = now; }
    if (performance.now() - start < seconds * 1000) requestAnimationFrame(look);
    else done({ frames: frames / seconds, steps: (now - first) / seconds });
  };
  look();
})"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def opened(browser, url: str):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("html[data-ready=true]", timeout=120_000)
    return context, page


def training(page) -> dict:
    """Play; then frames with new steps per second, and steps per second, while training."""
    page.click("#play")
    page.wait_for_function("Number(document.getElementById('step').textContent) > 0", timeout=60_000)
    time.sleep(1)
    counted = page.evaluate(COUNT_FRAMES, FPS_SECONDS)
    page.click("#play")
    page.wait_for_function("document.getElementById('play').textContent === 'Play'")
    return counted


def inspecting(page) -> dict:
    """A weight inspected and a dot's graph drawn, each from the click until it is shown."""
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
    return timed


def measure(browser, url: str) -> dict:
    """At the default set-up: ready to train, frames at the default speed and at the fastest, an
    inspection and a dot's graph; then the same frames and inspection at the largest set-up."""
    context, page = opened(browser, url)
    page.click("#play")
    # performance.now() counts from the navigation's start: the first frame drawn with a step
    ready = page.evaluate(
        """() => new Promise((done) => {
             const look = () => Number(document.getElementById('step').textContent) > 0
               ? done(performance.now()) : requestAnimationFrame(look);
             look();
           })"""
    )
    page.click("#play")
    page.wait_for_function("document.getElementById('play').textContent === 'Play'")
    default = training(page)
    found = {"ready": ready / 1e3, "fps": default["frames"], "steps": default["steps"], **inspecting(page)}
    context.close()
    context, page = opened(browser, f"{url}?speed=max")
    fastest = training(page)
    found.update(fps_max=fastest["frames"], steps_max=fastest["steps"])
    context.close()
    context, page = opened(browser, f"{url}?{LARGEST}")
    largest = training(page)
    found.update(fps_large=largest["frames"], **{f"{k}_large": v for k, v in inspecting(page).items()})
    context.close()
    for name, query in BEYOND.items():
        context, page = opened(browser, f"{url}?{query}")
        beyond = training(page)
        found.update({f"fps_{name}": beyond["frames"], f"steps_{name}": beyond["steps"]})
        context.close()
    return found


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
    print("The playground in headless Chromium, a cold cache each time; the site is "
          f"{built['bytes'] / 2**20:.1f} MB. Default set-up: 2-8-8-1, 200 dots, batch 10, speed 2 "
          "(steps a frame); frames counted only when they show new steps")  # fmt: skip
    print(f"{'':50}{'static site':>14}{'server':>14}")
    rows = [
        ("ready to train (navigation → trained frame)", "ready", "{:.2f} s"),
        ("frames/s with new steps, default speed", "fps", "{:.0f}"),
        ("  training steps per second", "steps", "{:.0f}"),
        ("frames/s with new steps, fastest speed", "fps_max", "{:.0f}"),
        ("  training steps per second", "steps_max", "{:.0f}"),
        ("a weight inspected (click → shown)", "inspect", "{:.2f} s"),
        ("a dot's graph drawn (click → shown)", "graph", "{:.2f} s"),
        ("largest browser set-up (2-16-16-1, 1,000 dots):", None, ""),
        ("  frames/s with new steps, default speed", "fps_large", "{:.0f}"),
        ("  a weight inspected", "inspect_large", "{:.2f} s"),
        ("  a dot's graph drawn", "graph_large", "{:.2f} s"),
        ("three spirals (2-8-8-3, K regions), fastest speed:", None, ""),
        ("  frames/s with new steps", "fps_classes", "{:.0f}"),
        ("  training steps per second", "steps_classes", "{:.0f}"),
        ("a regression (bump, 2-8-8-1, heatmap), fastest:", None, ""),
        ("  frames/s with new steps", "fps_regression", "{:.0f}"),
        ("  training steps per second", "steps_regression", "{:.0f}"),
    ]
    for title, key, shape in rows:
        if key is None:
            print(title)
            continue
        print(f"{title:50}{shape.format(site[key]):>14}{shape.format(native[key]):>14}")


if __name__ == "__main__":
    main()
