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
    assert doc["format"] == "chaingrad.model" and doc["version"] == 2
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
        ("version", 3, "field 'version' is 3; this chaingrad reads version 1, 2"),
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


# ── what save guarantees about the file it replaces ───────────────────────────────────────

import os  # noqa: E402
import signal  # noqa: E402
import stat  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from autograd.files import TEMPORARY_SUFFIX, NotARegularFile  # noqa: E402
from nn import dumps, loads  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def test_saving_over_a_fifo_is_refused_and_the_fifo_stays(tmp_path, model):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile, match="pipe: exists and is a FIFO"):
        save(model, fifo)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_saving_over_a_directory_is_refused(tmp_path, model):
    (tmp_path / "folder").mkdir()
    with pytest.raises(NotARegularFile, match="is a directory"):
        save(model, tmp_path / "folder")


def test_saving_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path, model):
    target = tmp_path / "real.json"
    save(MLP(2, [1], seed=0), target)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    save(model, link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert load(target).state_dict() == model.state_dict()


def test_an_existing_file_keeps_its_permissions(tmp_path, model):
    path = tmp_path / "m.json"
    path.write_text("old")
    path.chmod(0o640)
    save(model, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_new_file_gets_the_permissions_open_would_give(tmp_path, model):
    previous = os.umask(0o027)
    try:
        save(model, tmp_path / "m.json")
        with open(tmp_path / "by-open.txt", "w") as f:
            f.write("x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "m.json").stat().st_mode) == stat.S_IMODE(
        (tmp_path / "by-open.txt").stat().st_mode
    ) == 0o640


KILLED_MID_WRITE = """
import sys, time
from autograd.files import atomic_open
with atomic_open(sys.argv[1]) as f:
    f.write("half a mod")
    f.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def test_a_save_killed_mid_write_leaves_a_temporary_that_the_next_save_removes(tmp_path, model):
    path = tmp_path / "m.json"
    save(model, path)
    before = path.read_text()
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_WRITE, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout.readline().strip() == "writing"
    leftovers = list(tmp_path.glob(f"*{TEMPORARY_SUFFIX}"))
    assert len(leftovers) == 1
    save(model, path)  # the writer is alive: its temporary is left alone
    assert list(tmp_path.glob(f"*{TEMPORARY_SUFFIX}")) == leftovers
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    assert path.read_text() == before  # never half-written
    save(model, path)
    assert list(tmp_path.glob(f"*{TEMPORARY_SUFFIX}")) == []
    assert load(path).state_dict() == model.state_dict()


# ── load: old files, and every check before anything is built ─────────────────────────────


@pytest.mark.parametrize("name", ["model-v1.json", "model-v1-relu.json"])
def test_every_file_an_earlier_version_wrote_still_loads(name):
    written_then = json.loads((DATA / name).read_text())
    model = load(DATA / name)
    assert model.state_dict() == written_then["parameters"]
    assert [layer.activation for layer in model.layers] == written_then["architecture"]["activations"]


def test_a_tiny_file_declaring_a_huge_network_is_refused_before_anything_is_built(tmp_path):
    import tracemalloc

    path = tmp_path / "huge.json"
    path.write_text(json.dumps({
        "format": "chaingrad.model", "version": 1,
        "architecture": {"inputs": 100000, "layers": [100000, 100000], "activations": ["relu", "linear"]},
        "parameters": {},
    }))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"holds 0 parameters, but .* has 20,000,200,000"):
            load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


@pytest.mark.parametrize(
    "text, message",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"format": "chaingrad.model", "version": 1, "parameters": ' + "[" * 50_000 + "]" * 50_000 + "}",
         "nested too deeply"),
    ],
)
def test_deeply_nested_json_is_a_value_error(tmp_path, text, message):
    path = tmp_path / "deep.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load(path)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("architecture.activations", [["relu"], "tanh", "sigmoid"], "field 'architecture.activations'"),
        ("parameters.W1[1,1]", 10**400, r"'W1\[1,1\]' = an int of about 401 digits, which is not a finite"),
        ("parameters.W1[1,1]", True, r"'W1\[1,1\]' = True, which is not a finite number"),
        ("version", True, "field 'version' is True"),
        ("architecture.inputs", True, "field 'architecture.inputs'"),
        ("architecture.layers", [3, True, 1], "field 'architecture.layers'"),
    ],
)
def test_every_bad_field_is_the_promised_value_error(tmp_path, model, field, value, message):
    good = json.loads(dumps(model))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(corrupt(good, field, value)))
    with pytest.raises(ValueError, match=message):
        load(path)


def test_dumps_and_loads_round_trip_exactly_with_loads_checks(model):
    assert loads(dumps(model)).state_dict() == model.state_dict()
    with pytest.raises(ValueError, match="uploaded: field 'version'"):
        loads(dumps(model).replace('"version": 2', '"version": 7'), where="uploaded")


def test_numpy_numbers_are_numbers_and_numpy_times_are_not():
    model = MLP(np.int64(2), [np.int64(3), 1], seed=0)
    state = {name: np.float32(0.25) for name in model.state_dict()}
    model.load_state_dict(state)
    assert set(model.state_dict().values()) == {0.25}
    with pytest.raises(ValueError, match="must be a finite number"):
        model.load_state_dict({**state, "b1[1]": np.timedelta64(5, "ns")})
    assert set(model.state_dict().values()) == {0.25}  # nothing changed


def test_version_2_gives_each_layer_its_own_activation(tmp_path):
    model = MLP(2, [4, 3, 1], activations=["tanh", "leaky_relu", "sigmoid"], seed=2)
    save(model, tmp_path / "m.json")
    loaded = load(tmp_path / "m.json")
    assert loaded.activations == ["tanh", "leaky_relu", "sigmoid"]
    assert loaded.state_dict() == model.state_dict()
    assert loaded([0.5, -1.0]).data == model([0.5, -1.0]).data


def test_a_version_1_file_still_needs_one_hidden_activation(tmp_path):
    doc = json.loads((DATA / "model-v1.json").read_text())
    doc["architecture"]["activations"] = ["tanh", "relu", "sigmoid"]
    (tmp_path / "old.json").write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="hidden layers must share one activation"):
        load(tmp_path / "old.json")


def _save_many(path: str, seed: int, times: int) -> str:
    from nn import MLP, save

    model = MLP(2, [16, 16, 1], seed=seed)
    for _ in range(times):
        save(model, path)
    return "saved"


def test_saves_from_several_processes_to_one_path_all_succeed_and_leave_one_whole_model(tmp_path):
    import multiprocessing

    path = str(tmp_path / "shared.json")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(_save_many, [(path, seed, 40) for seed in range(8)])
    assert results == ["saved"] * 8
    from nn import MLP, load

    loaded = load(path)
    assert any(loaded.state_dict() == MLP(2, [16, 16, 1], seed=seed).state_dict() for seed in range(8))
    assert [p.name for p in tmp_path.iterdir()] == ["shared.json"]
