"""A chapter's command line, read from its ``run()`` signature: one declaration per option.

Each keyword of ``run(out, *, ...)`` whose annotation is ``Annotated[type, spec]`` is an
option: ``batch_size`` is ``--batch-size``, its default is the keyword's default, and the spec
(`Real`, `Whole`, `Choice`, `Flag`) says what it accepts and why, beside it:

    def run(out, *, lr: Annotated[float, Real(0, 100, low_open=True, help="the learning rate")] = 0.02):

Numbers are checked when the command line is parsed: nan, ±inf and anything outside the
declared range exit with status 2 and a message naming the option and its range, before any
work starts. Negative numbers are values (``--start -1e3 3``). Ctrl-C prints one line and exits
with status 130; every file is written atomically, so nothing is left half-written.
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import sys
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from autograd import arguments

__all__ = [
    "Real", "Whole", "Choice", "Flag", "options_of", "build_parser", "command", "interruptible", "argv_for",
    "output_dir", "report",
]


def _checked_by(kind: arguments.Real | arguments.Whole, text: str):
    """`text` checked by the shared vocabulary, its refusal as argparse words it."""
    try:
        return kind.check(text, "value")
    except arguments.InvalidArgument as e:
        raise argparse.ArgumentTypeError(e.reason) from None


@dataclass(frozen=True)
class Real(arguments.Real):
    """A real number in ``[lo, hi]`` (either end open if asked): never nan or ±inf."""

    help: str = ""
    nargs: int | None = None
    metavar: tuple[str, ...] | str | None = None
    absent: str = "none"  # what a default of None means, for --help

    def __call__(self, text: str) -> float:
        return _checked_by(self, text)


@dataclass(frozen=True)
class Whole(arguments.Whole):
    """A whole number in ``[lo, hi]``; with ``nargs="+"``, one or more, at most `most` of them."""

    help: str = ""
    nargs: int | str | None = None
    most: int | None = None
    metavar: str | None = None
    absent: str = "none"  # what a default of None means, for --help

    def __call__(self, text: str) -> int:
        return _checked_by(self, text)


@dataclass(frozen=True)
class Choice(arguments.Choice):
    """One of a fixed list of names."""

    help: str = ""
    nargs: int | None = None
    metavar: str | None = None


@dataclass(frozen=True)
class Flag:
    """On or off: ``--no-NAME`` turns off an option that is on by default, ``--NAME`` the reverse."""

    help: str = ""


Spec = Real | Whole | Choice | Flag


@dataclass(frozen=True)
class Option:
    name: str  # the keyword of run()
    spec: Spec
    default: object

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


def options_of(run: Callable) -> list[Option]:
    """The options a chapter's ``run`` declares: its annotated keyword-only parameters, in order."""
    hints = typing.get_type_hints(run, include_extras=True)
    found = []
    for name, parameter in inspect.signature(run).parameters.items():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        specs = [m for m in getattr(hints.get(name), "__metadata__", ()) if isinstance(m, Spec)]
        if specs:
            found.append(Option(name, specs[0], parameter.default))
    return found


def _shown(default: object) -> str:
    if isinstance(default, (tuple, list)):
        return " ".join(map(str, default))
    return str(default)


class _Parser(argparse.ArgumentParser):
    """argparse, but a value that looks like a negative number (``-1e3``, ``-.5``, ``-inf``) is a
    value, never taken for an option."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(
            r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^-(inf|infinity|nan)$", re.IGNORECASE
        )


def build_parser(
    description: str, options: Sequence[Option], prog: str | None = None
) -> argparse.ArgumentParser:
    """The parser for `options`, with --out first (where the figures go)."""
    p = _Parser(prog=prog, description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="out", metavar="DIR", help="where figures are written (default: out/)")
    for option in options:
        spec = option.spec
        if isinstance(spec, Flag):
            on = bool(option.default)
            p.add_argument(
                f"--no-{option.flag[2:]}" if on else option.flag,
                dest=option.name,
                action="store_false" if on else "store_true",
                help=spec.help,
            )
            continue
        kwargs: dict = {"dest": option.name, "default": option.default, "nargs": spec.nargs}
        if spec.metavar is not None:
            kwargs["metavar"] = spec.metavar
        if isinstance(spec, Choice):
            kwargs["choices"] = spec.choices
            described = spec.help
            if spec.metavar is not None:  # the choices are not in the usage line: list them here
                described += f", one of {', '.join(spec.choices)}"
        else:
            kwargs["type"] = spec
            described = f"{spec.help}, in {spec.range()}" if spec.help else f"in {spec.range()}"
            if isinstance(spec, Whole) and spec.most:
                described += f", at most {spec.most} of them"
        default = spec.absent if option.default is None else _shown(option.default)
        kwargs["help"] = f"{described} (default: {default})"
        p.add_argument(option.flag, **kwargs)
    return p


def _check_counts(p: argparse.ArgumentParser, args: argparse.Namespace, options: Sequence[Option]) -> None:
    for option in options:
        most = getattr(option.spec, "most", None)
        values = getattr(args, option.name)
        if most and isinstance(values, list) and len(values) > most:
            p.error(f"argument {option.flag}: at most {most} values, got {len(values)}")


def interruptible(main: Callable[..., int]) -> Callable[..., int]:
    """`main` with Ctrl-C answered by one line and exit status 130 (files are written atomically,
    so whatever was written is whole and nothing is left half-written), and a diverged training
    run by one line and status 1."""

    def run(*args, **kwargs) -> int:
        from nn import TrainingDiverged

        try:
            return main(*args, **kwargs)
        except KeyboardInterrupt:
            print("interrupted: every file written so far is complete, none is half-written", file=sys.stderr)
            return 130
        except TrainingDiverged as e:  # an accepted option can still make training diverge
            print(f"training diverged: {e}", file=sys.stderr)
            return 1

    run.__doc__ = main.__doc__
    return run


def command(
    run: Callable,
    description: str,
    prepare: Callable[[argparse.ArgumentParser, argparse.Namespace], None] | None = None,
    prog: str | None = None,
) -> Callable[[Sequence[str] | None], int]:
    """A chapter's ``main(argv)``: parse (every check before any work), make --out, run, report.

    `prepare` checks what one option cannot alone (two options that must differ, say) and may
    exit through ``p.error``.
    """
    options = options_of(run)
    prog = prog or _prog()

    @interruptible
    def main(argv: Sequence[str] | None = None) -> int:
        p = build_parser(description, options, prog)
        args = p.parse_args(argv)
        _check_counts(p, args, options)
        if prepare is not None:
            prepare(p, args)
        out = output_dir(p, args.out)
        report(run(out, **{o.name: _value(getattr(args, o.name)) for o in options}))
        return 0

    return main


def argv_for(run: Callable, values: dict) -> list[str]:
    """The command line that gives `run` these keyword values (the reverse of parsing)."""
    argv: list[str] = []
    for option in options_of(run):
        if option.name not in values:
            continue
        value = values[option.name]
        if isinstance(option.spec, Flag):
            if bool(value) != bool(option.default):
                argv.append(f"--no-{option.flag[2:]}" if option.default else option.flag)
        else:
            argv += [option.flag, *map(str, value if isinstance(value, (tuple, list)) else [value])]
    return argv


def output_dir(p: argparse.ArgumentParser, path: str) -> Path:
    """`path`, created if needed; an argparse error (exit 2) before any work if it cannot be written."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        p.error(f"--out {path}: cannot create this directory ({e.strerror})")
    if not out.is_dir() or not os.access(out, os.W_OK | os.X_OK):
        p.error(f"--out {path}: this directory is not writable")
    return out


def report(results: Sequence) -> None:
    """Each result's line (`demos.common.Result`), as it comes."""
    for r in results:
        print(r.line(), flush=True)


def _value(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _prog() -> str:
    """``python -m demos.boundary`` rather than ``boundary.py`` in usage messages."""
    script = Path(sys.argv[0])
    if script.suffix == ".py" and script.parent.name == "demos":
        return "python -m demos" if script.stem == "__main__" else f"python -m demos.{script.stem}"
    return script.name
