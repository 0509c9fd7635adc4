"""The playground as a static site: one folder that any static host serves, no install and no server.

    python -m demos.playground.site [OUT]      # make site: build/site/

The folder holds the playground's page (with ``data-transport="worker"``: it talks to a Web
Worker, not to a server), Pyodide's runtime files from the npm package ``pyodide``, the
JavaScript executor of replay's program (``autograd/executor.js`` and ``kernels.js``), viz.js from
``@viz-js/viz`` (both pinned in the root package.json and package-lock.json, installed by
``npm ci``), and two wheels the worker unpacks without resolving dependencies: chaingrad's own,
built from this checkout, and graphviz's, pinned by version and SHA-256 here. Every URL in it is
relative, so it works from a sub-path; nothing in it is fetched from anywhere else.

Serve it with any static server (Pyodide cannot load from ``file://``):

    python -m http.server --directory build/site 8000     # then open http://localhost:8000/
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["build", "SiteError", "ROOT", "MAX_BYTES", "PYODIDE_FILES", "ENGINE_FILES", "GRAPHVIZ_WHEEL"]

ROOT = Path(__file__).resolve().parents[2]
STATIC = Path(__file__).resolve().parent / "static"
MAX_BYTES = 30 * 2**20  # the whole folder: a class's network downloads it once
# What loadPyodide fetches: the loader, the WebAssembly runtime and the standard library.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
VIZ_FILE = "dist/viz.js"  # Graphviz as WebAssembly, embedded in one ES module
# Replay's program in JavaScript (the worker's array work) and the optimizers' updates, from
# this checkout.
ENGINE_FILES = ("autograd/executor.js", "autograd/kernels.js", "nn/optim.js")
# The graphviz package (pure Python, imported by autograd.render): pinned by version and hash.
GRAPHVIZ_WHEEL = (
    "graphviz==0.21",
    "54f33de9f4f911d7e84e4191749cac8cc5653f815b06738c54db9a15ab8b1e42",
)


class SiteError(RuntimeError):
    """A site that cannot be built: what is missing and how to get it."""


def _node_package(name: str) -> Path:
    folder = ROOT / "node_modules" / name
    if not (folder / "package.json").is_file():
        raise SiteError(f"node_modules/{name} is missing: run `npm ci` in {ROOT} (make site does)")
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"][name]
    found = json.loads((folder / "package.json").read_text())["version"]
    if found != pinned:
        raise SiteError(f"node_modules/{name} is {found}, package.json pins {pinned}: run `npm ci`")
    return folder


def _wheels(into: Path) -> list[str]:
    """chaingrad's wheel from this checkout and graphviz's pinned one, in `into`; their names."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
        run = lambda *args: subprocess.run([*pip, *args], check=True, cwd=scratch)  # noqa: E731
        run("wheel", "--no-deps", "--wheel-dir", str(scratch / "chaingrad"), str(ROOT))
        requirement, digest = GRAPHVIZ_WHEEL
        (scratch / "pinned.txt").write_text(f"{requirement} --hash=sha256:{digest}\n")
        run("download", "--no-deps", "--only-binary=:all:", "--require-hashes",
            "-r", "pinned.txt", "--dest", str(scratch / "graphviz"))  # fmt: skip
        names = []
        built = [*(scratch / "chaingrad").glob("chaingrad-*.whl"), *(scratch / "graphviz").glob("*.whl")]
        for wheel in built:
            if wheel.parent.name == "graphviz" and hashlib.sha256(wheel.read_bytes()).hexdigest() != digest:
                raise SiteError(f"{wheel.name} does not have the pinned SHA-256 {digest}")
            shutil.copy2(wheel, into / wheel.name)
            names.append(wheel.name)
    if len(names) != 2:
        raise SiteError(f"expected chaingrad's and graphviz's wheels, got {names}")
    return names


def build(out: Path) -> dict:
    """Build the site in `out` (a new or empty folder, or a site built before, which it replaces);
    its files' total size and the wheels' names. Any other folder is refused, untouched."""
    pyodide, viz = _node_package("pyodide"), _node_package("@viz-js/viz")
    out = Path(out)
    if out.exists():
        if any(out.iterdir()) and not (out / "wheels" / "wheels.json").is_file():
            raise SiteError(f"{out} is not empty and holds no site built before: give an empty or new folder")
        shutil.rmtree(out)  # a site built before: replaced whole
    (out / "static").mkdir(parents=True)
    for file in STATIC.iterdir():
        if file.is_file() and file.name != "index.html":  # the page is the folder's own index.html
            shutil.copy2(file, out / "static" / file.name)
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    if 'data-transport="server"' not in page:
        raise SiteError("static/index.html lost its data-transport attribute")
    (out / "index.html").write_text(page.replace('data-transport="server"', 'data-transport="worker"'))
    (out / "pyodide").mkdir()
    for name in PYODIDE_FILES:
        shutil.copy2(pyodide / name, out / "pyodide" / name)
    (out / "viz").mkdir()
    shutil.copy2(viz / VIZ_FILE, out / "viz" / "viz.js")
    (out / "engine").mkdir()
    for path in ENGINE_FILES:
        shutil.copy2(ROOT / path, out / "engine" / Path(path).name)
    (out / "wheels").mkdir()
    names = _wheels(out / "wheels")
    (out / "wheels" / "wheels.json").write_text(json.dumps(names))
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    if size > MAX_BYTES:
        raise SiteError(f"the site is {size / 2**20:.1f} MB, more than {MAX_BYTES / 2**20:.0f} MB")
    return {"bytes": size, "wheels": names}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demos.playground.site", description=__doc__.split("\n")[0]
    )
    parser.add_argument("out", nargs="?", default=str(ROOT / "build" / "site"), help="the folder to build")
    args = parser.parse_args(argv)
    try:
        built = build(Path(args.out))
    except (SiteError, subprocess.CalledProcessError) as e:
        print(f"make site: {e}", file=sys.stderr)
        return 1
    print(f"{args.out}: {built['bytes'] / 2**20:.1f} MB ({', '.join(built['wheels'])}); serve it with")
    print(f"    python -m http.server --directory {args.out} 8000     # then open http://localhost:8000/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
