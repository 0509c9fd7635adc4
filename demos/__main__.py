"""Run the whole workshop: every chapter with its defaults, one line per figure, a summary.

    python -m demos [--out DIR] [--seed N]
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Sequence

from demos import CHAPTERS
from demos.cli import build_parser, interruptible, options_of
from demos.common import Seed, output_dir, report


def run_all(out, *, seed: Seed = 0) -> dict[str, list]:
    """Every chapter in order; returns each chapter's results."""
    results = {}
    for number, name in enumerate(CHAPTERS, 1):
        chapter = importlib.import_module(f"demos.{name}")
        print(f"── {number}. {chapter.__doc__.split(':', 1)[0].split(',', 1)[1].strip()} ──", flush=True)
        results[name] = chapter.run(out, seed=seed)
        report(results[name])
    return results


@interruptible
def main(argv: Sequence[str] | None = None) -> int:
    p = build_parser(__doc__, options_of(run_all), prog="python -m demos")
    args = p.parse_args(argv)
    out = output_dir(p, args.out)
    start = time.perf_counter()
    results = run_all(out, seed=args.seed)
    figures = sum(len(r) for r in results.values())
    print(f"\nThe workshop in {len(results)} chapters: {figures} outputs written to {out}/ "
          f"in {time.perf_counter() - start:.0f} s (seed {args.seed}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
