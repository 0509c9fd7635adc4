// The playground without a server: a Web Worker running Pyodide, which runs chaingrad's own
// session code (demos/playground/worker.py, the same `api` as the server's), its array work
// (training steps, the boundary, the curves) done by autograd/executor.js, handed to Python. The page sends each
// request as a message {id, method, action, query, body} and gets {id, answer}; frames come as
// {frame} on a timer while training, and whenever something changed. A dot's graph comes from
// Python as DOT and is drawn here by viz.js (Graphviz compiled to WebAssembly).
//
// Everything is loaded from this site's own folder, by URLs relative to this file: the site
// works from any path of any static host, and from none other (no CDN).

import { loadPyodide } from "../pyodide/pyodide.mjs";
import { instance as graphviz } from "../viz/viz.js";
import * as executor from "../engine/executor.js"; // replay's program run by JavaScript: the array work
import { UPDATES } from "../engine/optim.js"; // and each optimizer's update

const engine = { ...executor, UPDATES };

const FRAME_MS = 40; // at most 25 frames a second, as the server's stream
const here = (path) => new URL(path, import.meta.url).href;
const post = (message) => self.postMessage(message);

let browser = null; // demos.playground.worker.BrowserSession, in Python
let viz = null;
let failed = null; // once the worker cannot go on: why

async function start() {
  const started = performance.now();
  post({ loading: "the Python runtime (Pyodide: about 13 MB, once; then from the browser's cache)" });
  const pyodide = await loadPyodide({ indexURL: here("../pyodide/") });
  post({ loading: "chaingrad, the engine" });
  const wheels = await fetched("../wheels/wheels.json", "json");
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  for (const name of wheels) {
    const bytes = new Uint8Array(await fetched(`../wheels/${name}`, "arrayBuffer"));
    pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages }); // no dependency resolving
  }
  browser = pyodide.pyimport("demos.playground.worker").BrowserSession(engine);
  post({ ready: Math.round(performance.now() - started), engine: "JavaScript" });
}

async function fetched(path, as) {
  const response = await fetch(here(path));
  if (!response.ok) throw new Error(`${path} could not be loaded (${response.status}): is the whole site folder there?`);
  return response[as]();
}

const ready = start().catch((error) => stop(`it could not start: ${error.message || error}`));

const refusal = () => ({
  status: 503,
  payload: { error: `The worker running chaingrad stopped: ${failed}. Press Reset to start it again.`, field: null },
});

function stop(why) {
  failed = why;
  post({ failed: why });
}

async function draw(dot) {
  viz ??= await graphviz();
  return viz.renderString(dot, { format: "svg" });
}

self.onmessage = async ({ data }) => {
  await ready;
  const { id, method, action, query, body } = data;
  if (failed) {
    post({ id, answer: refusal() });
    return;
  }
  try {
    const answer = JSON.parse(browser.request(method, action, JSON.stringify(query || {}), body ?? ""));
    if (action === "dot" && answer.status === 200) {
      answer.payload.svg = await draw(answer.payload.dot);
      delete answer.payload.dot;
    }
    post({ id, answer });
  } catch (error) { // Python itself failed (out of memory, a fatal error): the page says so
    stop(`${error.message || error}`.split("\n").slice(-2).join(" ").trim());
    post({ id, answer: refusal() });
  }
  tick(); // the change this request made, shown at once
};

// Frames: while training, one every FRAME_MS (steps in 60% of it, as the server); while paused,
// one when something changed. Each tick yields to the page's messages before the next.
let timer = null;
function tick() {
  clearTimeout(timer);
  if (failed || !browser) return;
  const started = performance.now();
  try {
    const frame = browser.frame();
    if (frame !== undefined && frame !== null) post({ frame });
  } catch (error) {
    stop(`${error.message || error}`.split("\n").slice(-2).join(" ").trim());
    return;
  }
  timer = setTimeout(tick, Math.max(0, FRAME_MS - (performance.now() - started)));
}
ready.then(tick);
