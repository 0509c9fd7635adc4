"""Saving and loading models: exact round trips, atomic writes, and clear errors for bad files."""

import json

import pytest

from nn import MLP, load, save


@pytest.fixture
def model():
    return MLP(2, [3, 2, 1], activation="tanh", output_activation="sigmoid", seed=5)


def test_round_trip_is_exact(tmp_path, model):
    path = tmp_path / "model.json"
    save(model, path)
    loaded = load(path)
    assert repr(loaded) == repr(model)
    assert loaded.state_dict() == model.state_dict()  # bit for bit


def test_the_file_is_one_json_object_with_format_version_architecture_parameters(tmp_path, model):
    save(model, tmp_path / "m.json")
    doc = json.loads((tmp_path / "m.json").read_text())
    assert doc["format"] == "chaingrad.model" and doc["version"] == 1
    assert doc["architecture"] == {
        "inputs": 2,
        "layers": [3, 2, 1],
        "activations": ["tanh", "tanh", "sigmoid"],
    }
    assert list(doc["parameters"]) == [name for name, _ in model.named_parameters()]


def test_save_leaves_no_temporary_file_and_replaces_atomically(tmp_path, model):
    path = tmp_path / "m.json"
    path.write_text("old")
    save(model, path)
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]


def test_saving_non_finite_parameters_is_refused_and_keeps_the_old_file(tmp_path, model):
    path = tmp_path / "m.json"
    save(model, path)
    before = path.read_text()
    model.parameters()[0].data = float("inf")
    with pytest.raises(ValueError, match="not finite"):
        save(model, path)
    assert path.read_text() == before


def corrupt(doc, field, value):
    doc = json.loads(json.dumps(doc))
    target = doc
    *parents, last = field.split(".")
    for p in parents:
        target = target[p]
    target[last] = value
    return doc


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("format", "pickle", "field 'format'"),
        ("version", 2, "field 'version' is 2"),
        ("architecture.layers", [3, -1], "field 'architecture.layers'"),
        ("architecture.activations", ["tanh", "swish", "sigmoid"], "field 'architecture.activations'"),
        ("architecture.inputs", 0, "field 'architecture.inputs'"),
        ("parameters", [1, 2], "field 'parameters'"),
        ("parameters.W1[1,1]", "one", r"field 'parameters'.*W1\[1,1\]"),
    ],
)
def test_a_bad_field_raises_naming_the_file_and_the_field(tmp_path, model, field, value, message):
    good = tmp_path / "good.json"
    save(model, good)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(corrupt(json.loads(good.read_text()), field, value)))
    with pytest.raises(ValueError, match=message) as caught:
        load(bad)
    assert "bad.json" in str(caught.value)


def test_wrong_shape_parameters_are_rejected(tmp_path, model):
    path = tmp_path / "m.json"
    save(model, path)
    doc = json.loads(path.read_text())
    doc["architecture"]["layers"] = [4, 2, 1]
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="field 'parameters'.*missing"):
        load(path)


@pytest.mark.parametrize(
    "text", ["", "{", '{"format": "chaingrad.model", "version": 1, "architecture": {"inputs": 2', "not json"]
)
def test_truncated_or_non_json_files_are_rejected(tmp_path, text):
    path = tmp_path / "m.json"
    path.write_text(text)
    with pytest.raises(ValueError, match="m.json: not valid JSON"):
        load(path)


def test_non_finite_numbers_in_the_file_are_rejected(tmp_path, model):
    path = tmp_path / "m.json"
    save(model, path)
    path.write_text(path.read_text().replace('"W1[1,1]": ', '"W1[1,1]": NaN, "x": ', 1))
    with pytest.raises(ValueError, match="NaN, which is not a finite number"):
        load(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ValueError, match="nothing.json: no such file"):
        load(tmp_path / "nothing.json")
