"""The playground, fast enough to watch: frames per second on the server and in the page, and what
inspecting costs, at the default set-up (2-8-8-1, 200 dots, batch 10) and at the largest allowed.

    make bench     # or: python benchmarks/playground.py   (the page's part needs Debian's chromium)

Never part of the test suite. One BLAS thread, as the playground runs (demos.playground sets it).
"""

from __future__ import annotations

import statistics
import time

import demos.playground  # noqa: F401  (pins BLAS to one thread before NumPy loads)
from demos.playground.browser import CHROMIUM, chromium_page, wait_for_frames
from demos.playground.server import FRAME_SECONDS, TRAIN_SHARE, serve
from demos.playground.session import Session, Settings

DEFAULT = Settings(points=200, hidden=(8, 8), activations=("relu", "relu"), batch_size=10)
LARGEST = Settings(points=2000, hidden=(32,) * 6, activations=("relu",) * 6, batch_size=10)


def ms(work, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def server_side(settings: Settings, title: str, repeats: int) -> None:
    session = Session(settings)
    session.step(1)  # records the replayed step
    session.play()
    frames = []
    for _ in range(40):
        t = time.perf_counter()
        steps = session.advance(budget=FRAME_SECONDS * TRAIN_SHARE)
        sent = (session.curves_version, len(session.curves.step))
        session.frame(since_data=session.data_version, since_curves=sent)
        frames.append((time.perf_counter() - t, steps))
    session.pause()
    frame_ms = statistics.median(t for t, _ in frames) * 1e3
    print(
        f"{title}: a frame takes {frame_ms:.1f} ms on the server ({1e3 / frame_ms:.0f} frames/s possible), "
        f"{statistics.median(s for _, s in frames):.0f} training steps in each"
    )
    weight = session.model.named_parameters()[0][0]
    try:
        full = f"{ms(lambda: session.dot_graph('train', 0, full=True), 1):.0f} ms"
    except ValueError as e:  # too many nodes for Graphviz: refused, and said so on the page
        full = f"refused: {str(e).split(';')[0]}"
    print(
        f"  inspecting {weight}: {ms(lambda: session.inspect_parameter(weight), repeats):.0f} ms;  "
        f"a dot's graph: {ms(lambda: session.dot_graph('train', 0), repeats):.0f} ms (full graph {full})"
    )


def page_side(seconds: float = 6.0) -> None:
    server = serve()
    try:
        with chromium_page() as page:
            page.goto(server.url + "?" + "&".join(f"{k}={v}" for k, v in DEFAULT.to_query().items()))
            wait_for_frames(page)
            page.get_by_label("Train, or pause").click()
            time.sleep(1.0)
            samples, server_ms = [], []
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                time.sleep(0.5)
                samples.append(float(page.locator("#fps").text_content()))
                server_ms.append(float(page.locator("#server-ms").text_content()))
            print(
                f"the page in chromium: {statistics.median(samples):.0f} frames/s "
                f"(median of {len(samples)} readings, {min(samples):.0f}–{max(samples):.0f}); "
                f"the server's frame {statistics.median(server_ms):.1f} ms"
            )
    finally:
        server.stop()


def main() -> int:
    server_side(DEFAULT, "2-8-8-1 on 200 dots, batch 10 (the default)", 5)
    server_side(LARGEST, "6 × 32 relu on 2,000 dots, batch 10 (the largest allowed)", 1)
    if CHROMIUM is None:
        print("Debian's chromium is not installed: the page's frames per second are not measured")
    else:
        page_side()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
