// The Node side of tests that run chaingrad's Python in Pyodide, as the static site's worker does:
// Pyodide 314 from node_modules, this checkout mounted at /chaingrad, graphviz's pure-Python
// package (the site ships its wheel) from the folder given, and autograd/executor.js with
// nn/optim.js's UPDATES handed to Python as the global `engine`, as static/worker.js hands it. No NumPy: Pyodide has none here.
//
//     node tests/js/pyodide.js SCRIPT.py GIVEN.json OUT.json GRAPHVIZ_PACKAGE_DIR
//
// runs SCRIPT.py with the global `given` (GIVEN.json's text) and writes what its last
// expression gives (a string) to OUT.json.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "../../node_modules/pyodide/pyodide.mjs";
import * as executor from "../../autograd/executor.js";
import { UPDATES } from "../../nn/optim.js";

const engine = { ...executor, UPDATES }; // as static/worker.js composes it
const [script, given, out, graphviz] = process.argv.slice(2);
const root = fileURLToPath(new URL("../..", import.meta.url));
const pyodide = await loadPyodide({ indexURL: fileURLToPath(new URL("../../node_modules/pyodide/", import.meta.url)) });
pyodide.FS.mkdirTree("/chaingrad");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root }, "/chaingrad");
pyodide.FS.mkdirTree("/deps/graphviz");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: graphviz }, "/deps/graphviz");
pyodide.runPython("import sys; sys.path[:0] = ['/chaingrad', '/deps']");
const globals = pyodide.globals.get("dict")();
globals.set("engine", engine); // a JsProxy in Python, as the worker's
globals.set("given", readFileSync(given, "utf8"));
try {
  const answer = pyodide.runPython(readFileSync(script, "utf8"), { globals });
  writeFileSync(out, String(answer));
} catch (error) { // Python's traceback alone, not Node's print of the minified line that threw
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
