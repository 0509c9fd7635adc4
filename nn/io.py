"""Saving and loading models as one JSON object, never pickle.

    {"format": "chaingrad.model", "version": 2,
     "architecture": {"inputs": 2, "layers": [16, 16, 1], "activations": ["relu", "tanh", "linear"]},
     "parameters": {"W1[1,1]": 0.123, ...}, "loss": "hinge"}

"loss", optional, names the loss the model was last trained with (`nn.LOSSES`): it tells
`accuracy` how the scores decide a class. Files without it load with none.

Version 2 gives each layer its own activation; version 1, which chaingrad wrote before, had the
hidden layers share one.

Numbers are written with Python's shortest round-trip repr, so they read back bit for bit.

What is guaranteed:
- `save` writes atomically (`autograd.files`): a reader, a crash or Ctrl-C sees the old file or
  the new one, never part of one. A symlink is followed (its target is replaced), a target that
  is not a regular file (a FIFO, a device, a directory) is refused, an existing file keeps its
  permissions and a new one gets them as ``open()`` would. Non-finite parameters are refused
  before anything is written.
- `load` and `loads` check everything before they build anything: a file's declared
  architecture is checked against the parameters it holds, so a tiny file cannot make them
  build a huge network. Every way a file can be wrong raises a `ValueError` naming the file
  and the field. Every file an earlier version of chaingrad wrote still loads.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from autograd.arguments import real
from autograd.files import atomic_open

from .losses import LOSSES
from .module import ACTIVATIONS, MLP, parameter_names

__all__ = ["save", "load", "dumps", "loads", "FORMAT", "VERSION"]

FORMAT = "chaingrad.model"
VERSION = 2
READS = (1, 2)  # every version this chaingrad loads


def _architecture(model: MLP) -> dict:
    return {
        "inputs": model.nin,
        "layers": [layer.nout for layer in model.layers],
        "activations": [layer.activation for layer in model.layers],
    }


def dumps(model: MLP) -> str:
    """The model as the JSON text `save` writes; non-finite parameters are refused."""
    if not isinstance(model, MLP):
        raise TypeError(f"expected an MLP, got {type(model).__name__}")
    params = model.state_dict()
    bad = [name for name, v in params.items() if not math.isfinite(v)]
    if bad:
        raise ValueError(f"parameters {bad[:5]} are not finite; a model file holds finite numbers only")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": _architecture(model),
        "parameters": params,
    }
    if model.loss is not None:
        document["loss"] = model.loss
    return json.dumps(document, indent=1, allow_nan=False)


def save(model: MLP, path: str | os.PathLike) -> None:
    """Write `model` to `path` as JSON, atomically (see the module's guarantees)."""
    try:
        text = dumps(model)
    except ValueError as e:
        raise ValueError(f"cannot save {os.fspath(path)}: {e}") from None
    with atomic_open(path, "w") as f:
        f.write(text)


def load(path: str | os.PathLike) -> MLP:
    """Rebuild the model saved at `path`; a bad file raises `ValueError` naming the file and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot read it ({e})") from None
    return loads(text, where=str(path))


def loads(text: str, where: str = "model text") -> MLP:
    """Rebuild a model from the JSON text of `dumps`, with `load`'s checks; `where` names it in errors."""
    if not isinstance(text, str):
        raise TypeError(f"loads needs the JSON text as a str, got {type(text).__name__}")
    document = _parse(text, where)
    nin, layers, activations = _checked_architecture(document, where)
    parameters = _checked_parameters(document, where, nin, layers)
    model = MLP(nin, layers, activations=activations, seed=0)
    loss = document.get("loss")
    if loss is not None and (not isinstance(loss, str) or loss not in LOSSES):
        raise ValueError(f"{where}: field 'loss' is {_shown(loss)}; it names one of {list(LOSSES)}")
    model.load_state_dict(parameters, strict=True)
    model.loss = loss
    return model


def _parse(text: str, where: str) -> dict:
    try:
        document = json.loads(text, parse_constant=lambda c: _reject_constant(where, c))
    except json.JSONDecodeError as e:
        raise ValueError(f"{where}: not valid JSON (truncated or corrupt?): {e}") from None
    except RecursionError:
        raise ValueError(f"{where}: nested too deeply to be a model file (not valid here)") from None
    except ValueError as e:  # e.g. an integer of more digits than Python converts
        raise ValueError(f"{where}: not a model file: {e}") from None
    if not isinstance(document, dict):
        raise ValueError(f"{where}: expected a JSON object, got {type(document).__name__}")
    if document.get("format") != FORMAT:
        raise ValueError(f"{where}: field 'format' is {_shown(document.get('format'))}, expected {FORMAT!r}")
    version = document.get("version")
    if type(version) is not int or version not in READS:
        readable = ", ".join(map(str, READS))
        raise ValueError(
            f"{where}: field 'version' is {_shown(version)}; this chaingrad reads version {readable}"
        )
    return document


def _positive_int(value: object) -> bool:
    return type(value) is int and value >= 1


def _checked_architecture(document: dict, where: str) -> tuple[int, list[int], list[str]]:
    arch = document.get("architecture")
    if not isinstance(arch, dict):
        raise ValueError(f"{where}: field 'architecture' is missing or not an object")
    nin, layers, activations = arch.get("inputs"), arch.get("layers"), arch.get("activations")
    if not _positive_int(nin):
        raise ValueError(f"{where}: field 'architecture.inputs' must be a positive int, got {_shown(nin)}")
    if not isinstance(layers, list) or not layers or not all(_positive_int(n) for n in layers):
        raise ValueError(
            f"{where}: field 'architecture.layers' must be a non-empty list of positive ints, "
            f"got {_shown(layers)}"
        )
    if (
        not isinstance(activations, list)
        or len(activations) != len(layers)
        or not all(isinstance(a, str) and a in ACTIVATIONS for a in activations)
    ):
        raise ValueError(
            f"{where}: field 'architecture.activations' must list one of {list(ACTIVATIONS)} "
            f"per layer, got {_shown(activations)}"
        )
    if document["version"] == 1 and len(set(activations[:-1])) > 1:
        raise ValueError(
            f"{where}: field 'architecture.activations': hidden layers must share one activation, "
            f"got {activations!r}"
        )
    return nin, layers, activations


def _checked_parameters(document: dict, where: str, nin: int, layers: list[int]) -> dict[str, float]:
    """The parameters, checked against the architecture by count, name and value before any build."""
    parameters = document.get("parameters")
    if not isinstance(parameters, dict):
        raise ValueError(f"{where}: field 'parameters' is missing or not an object")
    declared = sum((fan_in + 1) * units for fan_in, units in zip([nin, *layers], layers))
    if declared != len(parameters):
        shape = " → ".join(map(str, [nin, *layers]))
        more = "missing some" if declared > len(parameters) else "with unexpected ones"
        raise ValueError(
            f"{where}: field 'parameters' holds {len(parameters):,} parameters, but the architecture "
            f"{shape} has {declared:,} ({more})"
        )
    expected = list(parameter_names(nin, layers))
    missing = [name for name in expected if name not in parameters]
    if missing:
        unexpected = [name for name in parameters if name not in set(expected)]
        raise ValueError(
            f"{where}: field 'parameters' is missing {missing[:5]}, and holds unexpected "
            f"{[_shown(n) for n in unexpected[:5]]}"
        )
    values = {}
    for name in expected:
        value = parameters[name]
        try:
            values[name] = real(value, name, finite=True)
        except (TypeError, ValueError):
            raise ValueError(
                f"{where}: field 'parameters' holds {name!r} = {_shown(value)}, which is not a finite number"
            ) from None
    return values


def _shown(value: object, limit: int = 80) -> str:
    """A file's value in an error message, cut short if it is long."""
    if type(value) is int and value.bit_length() > 64:
        return f"an int of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reject_constant(where: str, constant: str):
    raise ValueError(f"{where}: field 'parameters' holds {constant}, which is not a finite number")
