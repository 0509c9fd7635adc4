"""Saving and loading models as one JSON object, never pickle.

    {"format": "chaingrad.model", "version": 1,
     "architecture": {"inputs": 2, "layers": [16, 16, 1], "activations": ["relu", "relu", "linear"]},
     "parameters": {"W1[1,1]": 0.123, ...}}

Numbers are written with Python's shortest round-trip repr, so they read back bit for bit.
The write is atomic (a temporary file in the same folder, then a rename).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

from .module import ACTIVATIONS, MLP

__all__ = ["save", "load", "FORMAT", "VERSION"]

FORMAT = "chaingrad.model"
VERSION = 1


def _architecture(model: MLP) -> dict:
    return {
        "inputs": model.nin,
        "layers": [layer.nout for layer in model.layers],
        "activations": [layer.activation for layer in model.layers],
    }


def save(model: MLP, path: str | os.PathLike) -> None:
    """Write `model` to `path` as JSON, atomically; non-finite parameters are refused."""
    if not isinstance(model, MLP):
        raise TypeError(f"save expects an MLP, got {type(model).__name__}")
    params = model.state_dict()
    bad = [name for name, v in params.items() if not math.isfinite(v)]
    if bad:
        raise ValueError(f"cannot save {path}: parameters {bad[:5]} are not finite")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": _architecture(model),
        "parameters": params,
    }
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=1, allow_nan=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: str | os.PathLike) -> MLP:
    """Rebuild the model saved at `path`; a bad file raises `ValueError` naming the file and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot read it ({e})") from None
    try:
        document = json.loads(text, parse_constant=lambda c: _reject_constant(path, c))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: not valid JSON (truncated or corrupt?): {e}") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a JSON object, got {type(document).__name__}")
    if document.get("format") != FORMAT:
        raise ValueError(f"{path}: field 'format' is {document.get('format')!r}, expected {FORMAT!r}")
    if document.get("version") != VERSION:
        raise ValueError(
            f"{path}: field 'version' is {document.get('version')!r}; this chaingrad reads version {VERSION}"
        )
    arch = document.get("architecture")
    if not isinstance(arch, dict):
        raise ValueError(f"{path}: field 'architecture' is missing or not an object")
    nin, layers, activations = arch.get("inputs"), arch.get("layers"), arch.get("activations")
    if not isinstance(nin, int) or isinstance(nin, bool) or nin < 1:
        raise ValueError(f"{path}: field 'architecture.inputs' must be a positive int, got {nin!r}")
    if (
        not isinstance(layers, list)
        or not layers
        or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in layers)
    ):
        raise ValueError(
            f"{path}: field 'architecture.layers' must be a non-empty list of positive ints, got {layers!r}"
        )
    if (
        not isinstance(activations, list)
        or len(activations) != len(layers)
        or any(a not in ACTIVATIONS for a in activations)
    ):
        raise ValueError(
            f"{path}: field 'architecture.activations' must list one of {list(ACTIVATIONS)} "
            f"per layer, got {activations!r}"
        )
    if len(set(activations[:-1])) > 1:
        raise ValueError(
            f"{path}: field 'architecture.activations': hidden layers must share one activation, "
            f"got {activations!r}"
        )
    parameters = document.get("parameters")
    if not isinstance(parameters, dict):
        raise ValueError(f"{path}: field 'parameters' is missing or not an object")
    model = MLP(nin, layers, activations[0] if len(layers) > 1 else "linear", activations[-1], seed=0)
    try:
        model.load_state_dict(parameters, strict=True)
    except ValueError as e:
        raise ValueError(f"{path}: field 'parameters': {e}") from None
    return model


def _reject_constant(path: Path, constant: str):
    raise ValueError(f"{path}: field 'parameters' holds {constant}, which is not a finite number")
