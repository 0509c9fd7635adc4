"""How chaingrad writes numbers and names for people: drawings, tables, explanations, errors.

One place for the four significant digits, the "—" of a gradient never computed, a node's
name (its label, or ``v<k>`` by its place in the topological order) and escaping whatever a
terminal, a file or an SVG cannot carry; and the glossary of names (`GLOSSARY`): whoever
names nodes (`nn`: ``L[i]``, ``m[i]``, ``h1[3]``…) defines each name once, with `define`, and
explanations and the playground say what every name they use means.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .graph import NOT_COMPUTED

if TYPE_CHECKING:
    from .value import Value

__all__ = [
    "NOT_COMPUTED_TEXT",
    "number",
    "grad_text",
    "printable",
    "name_of",
    "node_names",
    "name_partials",
    "partial_name",
    "Term",
    "GLOSSARY",
    "define",
    "terms_in",
    "glossary_text",
]

NOT_COMPUTED_TEXT = "—"  # how a grad that no backward pass has written is shown


def number(x: float) -> str:
    """A number as drawings and tables show it: four significant digits."""
    if math.isnan(x):
        return "nan"
    if x == 0.0:
        return "0"  # -0.0 too: a sign on zero only confuses a reader
    return f"{x:.4g}"


def grad_text(g: float | None) -> str:
    """A gradient as shown: "—" if no backward pass has written it (or unknown), else the number."""
    return NOT_COMPUTED_TEXT if g is None or g is NOT_COMPUTED else number(g)


def printable(text: str) -> str:
    """`text` with every character any terminal, file or SVG can carry: control characters,
    lone surrogates, U+FFFE and U+FFFF become Python escapes (``\\x07``, ``\\udcff``)."""
    if text.isprintable():
        return text
    return "".join(_printable_char(ch) for ch in text)


def _printable_char(ch: str) -> str:
    if ch == "\n" or ch == " " or not (unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff"):
        return ch
    return ch.encode("unicode_escape", "backslashreplace").decode("ascii")


def name_of(node: Value, fallback: str) -> str:
    """How text and drawings name `node`: its label, escaped to be printable, or `fallback`.

    A label that is not a str (``v.label = 5``) is refused here, where it is read, rather than
    by a check on every write of `.label`.
    """
    label = node.label
    if type(label) is not str:
        raise TypeError(
            f"node {fallback} has the label {label!r} ({type(label).__name__}); a label must be a str, "
            f"e.g. {str(label)!r}"
        )
    return printable(label) if label else fallback


def node_names(order: Sequence[Value]) -> dict[Value, str]:
    """A name for every node: its label, or ``v<k>`` for the k-th node of the topological order."""
    return {node: name_of(node, f"v{k}") for k, node in enumerate(order, 1)}


def name_partials(node: Value, names: Sequence[str]) -> None:
    """Name a node's local partials, one name per input, as the slides do (``p[1,2]`` for
    ∂lse[1]/∂z[1,2], the softmax's probability): drawings, explanations and backprop steps then
    write the name beside the number. The names travel with the node (pickles, replays)."""
    names = tuple(names)
    if len(names) != len(node.inputs) or not all(isinstance(n, str) and n for n in names):
        raise ValueError(
            f"name_partials needs one non-empty name per input ({len(node.inputs)}), got {names!r}"
        )
    node.partial_names = names


def partial_name(node: Value, k: int) -> str | None:
    """The name of the partial on the edge into `node` from its input k (from 0), if it has one."""
    names = vars(node).get("partial_names")
    return names[k] if names else None


# ── the glossary: what each kind of name means ────────────────────────────────────────────


@dataclass(frozen=True)
class Term:
    """A kind of name as a reader meets it (``m[i]``), the `pattern` its instances match
    (``m[3]``; a regular expression that Python and JavaScript read alike), and its meaning."""

    name: str
    pattern: str
    meaning: str

    def found_in(self, text: str) -> bool:
        return re.search(_whole(self.pattern), text) is not None


GLOSSARY: dict[str, Term] = {}
"""Every kind of name by its written form, in the order defined; see `define`."""


def define(name: str, pattern: str, meaning: str) -> Term:
    """Say once what a kind of name means: ``define("m[i]", r"m\\[\\d+\\]", "hinge's margin…")``.
    Defining a name again replaces its meaning."""
    for what, text in (("name", name), ("pattern", pattern), ("meaning", meaning)):
        if not isinstance(text, str) or not text:
            raise TypeError(f"define: {what} must be a non-empty str, got {text!r}")
    re.compile(pattern)  # a bad pattern fails here, named by re's own error
    term = GLOSSARY[name] = Term(name, pattern, meaning)
    return term


def _whole(pattern: str) -> str:
    """`pattern` as a whole name: not the tail of a longer one (``s[1]`` is not in ``ys[1]``)."""
    return rf"(?<![\w\[]){pattern}(?![\w\[])"


def terms_in(text: str) -> list[Term]:
    """The terms of `GLOSSARY` whose names occur in `text`, in glossary order."""
    return [term for term in GLOSSARY.values() if term.found_in(text)]


def glossary_text(text: str) -> str:
    """A "Names used" section for `text`: one line per term it uses; empty if it uses none."""
    used = terms_in(text)
    if not used:
        return ""
    width = max(len(t.name) for t in used)
    return "\n".join(["Names used:", *(f"  {t.name:<{width}}  {t.meaning}" for t in used)])
