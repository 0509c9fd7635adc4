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

    def graph_ms(full: bool) -> str:
        try:
            return f"{ms(lambda: session.dot_graph('train', 1, full=full), 1 if full else repeats):.0f} ms"
        except ValueError as e:  # too large for Graphviz: refused, and said so on the page
            return f"refused: {str(e).split(';')[0]}"

    print(
        f"  inspecting {weight}: {ms(lambda: session.inspect_parameter(weight), repeats):.0f} ms;  "
        f"a dot's graph: {graph_ms(False)} (full graph {graph_ms(True)})"
    )


def rss_mb(pid: int | str = "self") -> float:
    """A process's resident memory, in MB (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def largest_full_batch_through_the_server() -> None:
    """The same, as the page asks for it: a session over HTTP, a step, an inspection (in the
    server's worker process) and a dot's graph; the memory of the server and of the process it
    starts, from before the session to after all that."""
    import gc

    gc.collect()
    server = serve()
    try:
        before = rss_mb()
        call = _client(server)
        body = {"points": "2000", "hidden": "32 32 32 32 32 32", "activations": ",".join(["relu"] * 6),
                "batch_size": "2000"}
        status, made = call("POST", "/api/session", body)
        assert status == 200, made
        s, token = made["session"], made["token"]
        start = time.perf_counter()
        call("POST", f"/api/step?s={s}", {}, token)
        step = time.perf_counter() - start
        start = time.perf_counter()
        status, found = call("GET", f"/api/inspect?s={s}&name=W1[1,1]", None, token)
        inspect = time.perf_counter() - start
        status, graph = call("GET", f"/api/dot?s={s}&index=1", None, token)
        workers = getattr(server._workers, "_processes", None) or {}
        grown = rss_mb() - before + sum(rss_mb(pid) for pid in workers)
        print(
            f"  through the server: a step {step * 1e3:.0f} ms, an inspection {inspect * 1e3:.0f} ms "
            f"(the worker process started for it), a dot's graph {'refused' if status != 200 else 'drawn'}; "
            f"the server grew by {rss_mb() - before:.0f} MB and its worker process takes "
            f"{sum(rss_mb(pid) for pid in workers):.0f} MB: {grown:.0f} MB in all"
        )
    finally:
        server.stop()


def largest_full_batch() -> None:
    """The largest set-up trained on the full batch: the first step (which records), a weight
    inspected cold, a dot's graph, and the session's memory, all in this process."""
    import gc

    gc.collect()
    before = rss_mb()
    settings = Settings(points=2000, hidden=(32,) * 6, activations=("relu",) * 6, batch_size=2000)
    start = time.perf_counter()
    session = Session(settings)
    made = time.perf_counter() - start
    start = time.perf_counter()
    session.step(1)  # records J's program and runs it over the 1,600 training dots
    first = time.perf_counter() - start
    weight = session.model.named_parameters()[0][0]
    start = time.perf_counter()
    found = session.inspect_parameter(weight)  # cold: nothing cached from an earlier inspection
    inspect = time.perf_counter() - start
    try:
        start = time.perf_counter()
        session.dot_graph("train", 1)
        graph = f"{(time.perf_counter() - start) * 1e3:.0f} ms"
    except ValueError as e:
        graph = f"refused: {str(e).split(';')[0]}"
    gc.collect()
    print(
        f"6 × 32 relu on 2,000 dots, full batch: the session made in {made * 1e3:.0f} ms, its first step "
        f"{first * 1e3:.0f} ms; inspecting {weight} ({int(found['count']):,} paths) {inspect * 1e3:.0f} ms; "
        f"a dot's graph {graph}; memory grew by {rss_mb() - before:.0f} MB"
    )


def play_default(page, server) -> None:
    """The page at the default set-up, training for a second already."""
    page.goto(server.url + "?" + "&".join(f"{k}={v}" for k, v in DEFAULT.to_query().items()))
    wait_for_frames(page)
    page.get_by_label("Train, or pause").click()
    time.sleep(1.0)


def page_side(seconds: float = 6.0) -> None:
    server = serve()
    try:
        with chromium_page() as page:
            play_default(page, server)
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


def _client(server):
    """A second tab, over HTTP as the page talks: (create, inspect) for the largest set-up."""
    import http.client
    import json

    host, port = server.server_address[:2]

    def call(method: str, path: str, body=None, token: str | None = None):
        connection = http.client.HTTPConnection(host, port, timeout=600)
        headers = {"X-Chaingrad-Token": token} if token else {}
        connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())

    return call


def page_while_another_tab_inspects(seconds: float = 20.0) -> None:
    """The default set-up training in the page while another tab inspects weights back to back
    at the largest size (each inspection served, in the server's worker process)."""
    import threading

    server = serve()
    call = _client(server)
    try:
        with chromium_page() as page:
            play_default(page, server)

            def fps_for(duration: float) -> list[float]:
                readings, end = [], time.monotonic() + duration
                while time.monotonic() < end:
                    time.sleep(0.5)
                    readings.append(float(page.locator("#fps").text_content()))
                return readings

            alone = fps_for(6.0)
            _, created = call("POST", "/api/session", LARGEST.to_query())
            key, token = created["session"], created["token"]
            call("POST", f"/api/step?s={key}", token=token)
            served, stop = [], threading.Event()

            def inspect_back_to_back():
                names = ["W1[1,1]", "W3[5,7]", "b6[2]", "W7[1,3]"]
                while not stop.is_set():
                    started = time.perf_counter()
                    status, _ = call("GET", f"/api/inspect?s={key}&name={names[len(served) % len(names)]}")
                    served.append((status, time.perf_counter() - started))

            worker = threading.Thread(target=inspect_back_to_back, daemon=True)
            worker.start()
            during = fps_for(seconds)
            stop.set()
            worker.join(600)
            ok = [t for status, t in served if status == 200]
            print(
                f"the page while another tab inspects at the largest size: {statistics.median(during):.0f} "
                f"frames/s against {statistics.median(alone):.0f} alone "
                f"({statistics.median(during) / statistics.median(alone):.0%}) over {seconds:.0f} s; "
                f"{len(ok)} of {len(served)} inspections served, "
                f"{statistics.median(ok):.1f} s each" if ok else "no inspection finished"
            )
    finally:
        server.stop()


def main() -> int:
    server_side(DEFAULT, "2-8-8-1 on 200 dots, batch 10 (the default)", 5)
    server_side(LARGEST, "6 × 32 relu on 2,000 dots, batch 10 (the largest allowed)", 1)
    largest_full_batch()
    largest_full_batch_through_the_server()
    if CHROMIUM is None:
        print("Debian's chromium is not installed: the page's frames per second are not measured")
    else:
        page_side()
        page_while_another_tab_inspects()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
