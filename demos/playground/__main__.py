"""Start the playground: a local web server, and the page in a browser.

    python -m demos.playground [--no-browser] [--port N] [--host HOST] [--allow-host NAME ...]

The first line printed holds the page's URL. Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import sys
import webbrowser
from collections.abc import Sequence

from demos.cli import Whole
from demos.playground.server import PlaygroundServer

LOCAL = ("127.0.0.1", "localhost", "::1")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m demos.playground",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--no-browser", action="store_true", help="do not open the page in a browser")
    p.add_argument(
        "--port", type=Whole(0, 65535), default=0, help="the port, in 0 to 65535 (default: a free one)"
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this machine only)"
    )
    p.add_argument(
        "--allow-host", action="append", default=[], metavar="NAME",
        help="another name this server answers to (say, the name students type in a classroom); repeatable",
    )
    args = p.parse_args(argv)
    try:
        server = PlaygroundServer(args.host, args.port, tuple(args.allow_host))
    except OSError as e:
        p.error(f"cannot listen on {args.host}:{args.port}: {e.strerror}")
    print(f"chaingrad playground: {server.url} (Ctrl-C stops it)", flush=True)
    if args.host not in LOCAL:
        print(
            f"warning: listening on {args.host}: anyone who can reach this machine can use the playground",
            file=sys.stderr,
            flush=True,
        )
    if not args.no_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        server.stopping.set()
        server.server_close()
        server.end_workers()
        print("playground stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
