"""Run the whole workshop: every chapter with its defaults, one line per figure, a summary.

    python -m demos [--out DIR] [--seed N] [--chapters NAME ...]
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Sequence
from typing import Annotated

from demos import CHAPTERS
from demos.cli import Choice, build_parser, interruptible, options_of, output_dir, report
from demos.common import Seed

Chapters = Annotated[
    tuple[str, ...], Choice(CHAPTERS, nargs="+", metavar="NAME", help="run only these chapters")
]


def chapter(name: str):
    """The chapter module `name` of `CHAPTERS` (its number is its position there)."""
    return importlib.import_module(f"demos.{name}")


def run_all(out, *, seed: Seed = 0, chapters: Chapters = CHAPTERS) -> dict[str, list]:
    """The chapters, in the order of `CHAPTERS`; returns each chapter's results."""
    results = {}
    for number, name in enumerate(CHAPTERS, 1):
        if name not in chapters:
            continue
        print(f"── {number}. {chapter(name).TITLE} ──", flush=True)
        results[name] = chapter(name).run(out, seed=seed)
        report(results[name])
    return results


@interruptible
def main(argv: Sequence[str] | None = None) -> int:
    p = build_parser(__doc__, options_of(run_all), prog="python -m demos")
    args = p.parse_args(argv)
    out = output_dir(p, args.out)
    start = time.perf_counter()
    results = run_all(out, seed=args.seed, chapters=tuple(args.chapters))
    figures = sum(len(r) for r in results.values())
    print(f"\nThe workshop in {len(results)} chapters: {figures} outputs written to {out}/ "
          f"in {time.perf_counter() - start:.0f} s (seed {args.seed}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
