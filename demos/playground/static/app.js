// The playground's page: the controls (built from the session's declaration of the settings) →
// its API; frames ← its stream. Plain JavaScript modules, no framework: transport.js talks to the
// Python server or to the static site's worker (the same session code, run by Pyodide),
// controls.js builds and reads the settings' controls, plots.js draws, inspector.js inspects.

import { buildControls, clearRefusals, collectSettings, showRefusal, showSettings } from "./controls.js";
import { setGlossary } from "./glossary.js";
import { forgetNeuron, inspect, showDot, showNeuron, showWatched } from "./inspector.js";
import { classKey, className, drawCurves, drawNetwork, drawPlot, fromPixels, heatKey, nearestDot, setClasses } from "./plots.js";
import * as transport from "./transport.js";
import { api, downloadLink, openStream, say, setSession, transportKind } from "./transport.js";

const $ = (id) => document.getElementById(id);

const state = {
  settings: {},
  view: { dots: { train: [[], [], []], test: [[], [], []] }, square: [-2, 2, -2, 2], grid: 100, boundary: "" },
  curves: null, curvesVersion: -1, frames: [],
  toggled: 0, // the session's version once the last Play or Pause was applied: older frames do not say
};

function fieldsFromUrl() {
  const fields = {};
  for (const [key, value] of new URLSearchParams(location.search)) fields[key] = value;
  return fields;
}

function settingsInForce(settings) {
  state.settings = settings;
  history.replaceState(null, "", "?" + new URLSearchParams(settings));
  showSettings(settings);
  offerClasses(Number(settings.classes));
}

// A regression (`heat`: its targets' range) adds dots of a target, a classification of a class;
// the plot's key says which colours mean what.
function showTask(heat) {
  $("new-class").hidden = Boolean(heat);
  $("new-target").hidden = !heat;
  describePlot(heat ? heatKey(heat) : classKey($("colour").options.length));
}

function describePlot(key) {
  const what = state.view.heat ? "The prediction" : "The boundary";
  const caption = `${what} on a 100×100 grid: ${key}; test dots are hollow.`;
  if ($("plot-key").textContent === caption) return;
  $("plot-key").textContent = caption;
  plot.setAttribute("aria-label", `${what.toLowerCase()}, with the training dots and (hollow) the test dots: ${key}. Space plays or pauses`);
}

// The colour picker offers the classes in force (the one chosen stays, if it still is one).
function offerClasses(count) {
  const picker = $("colour");
  if (picker.options.length === count) return;
  const chosen = Math.min(Number(picker.value), count - 1);
  picker.replaceChildren(...Array.from({ length: count }, (_, k) => new Option(className(k), String(k))));
  picker.value = String(chosen);
  if (!state.view.heat) describePlot(classKey(count));
}

async function sendSettings() {
  const answer = await api("POST", "settings", { body: collectSettings(state.settings), quiet: true });
  if (!answer) { // the refused value goes back to the one in force, one message beside its field
    showSettings(state.settings, true);
    showRefusal(transport.lastRefusal?.field, transport.lastRefusal?.error);
    return;
  }
  clearRefusals();
  const followed = (answer.followed || []).map((note) => ` With it, ${note.replace(/_/g, " ")}.`).join("");
  say((answer.applied === "afresh" ? "New settings: training starts afresh with new weights." : "") + followed);
  if (answer.applied === "afresh") forgetDotGraph();
  settingsInForce(answer.settings);
}

// ── frames ──────────────────────────────────────────────────────────────────────────────

function showFrame(frame) {
  const now = performance.now();
  state.frames = state.frames.filter((t) => now - t < 1000);
  state.frames.push(now);
  $("fps").textContent = String(state.frames.length);
  $("epoch").textContent = frame.epoch;
  $("step").textContent = frame.step;
  $("server-ms").textContent = frame.server_ms;
  if (frame.version >= state.toggled) $("play").textContent = frame.playing ? "Pause" : "Play";
  if (frame.message) say(frame.message);
  if (frame.dots) state.view.dots = frame.dots;
  Object.assign(state.view, { square: frame.view, grid: frame.grid, boundary: frame.boundary,
    regions: frame.regions, classes: Number(frame.settings.classes), heat: frame.heat });
  showTask(frame.heat);
  if (JSON.stringify(frame.settings) !== JSON.stringify(state.settings)) settingsInForce(frame.settings);
  addCurves(frame);
  drawPlot(state.view);
  drawNetwork(frame.network);
  drawCurves(state.curves);
  showWatched(frame.watched);
  document.documentElement.dataset.ready = "true"; // for whoever waits on the page: a frame is drawn
}

// After new weights the drawn dot's graph is another model's: it goes, and says why.
function forgetDotGraph() {
  forgetNeuron();
  if (!$("dot-graph").childElementCount) return;
  $("dot-graph").replaceChildren();
  $("backprop").hidden = true;
  $("graph-tools").hidden = true;
  $("dot-summary").textContent = "The network has new weights: click a dot again to see its graph now.";
}

function addCurves(frame) {
  if (state.curves && frame.curves_version !== state.curvesVersion) { // new weights (Reset, new settings, a model)
    forgetDotGraph();
    const shown = $("parameter").querySelector("h3")?.dataset.name;
    if (shown && frame.watched && !frame.watched.gone) inspect(shown, { quietly: true }); // its paths and finite difference anew
  }
  if (!state.curves || frame.curves_version !== state.curvesVersion || frame.curves_from === 0) {
    state.curves = Object.fromEntries(Object.keys(frame.curves).map((k) => [k, []]));
    state.curvesVersion = frame.curves_version;
  }
  for (const [name, values] of Object.entries(frame.curves)) state.curves[name].push(...values);
  state.curves.changes = frame.changes;
}

// ── the plot and the network take clicks ───────────────────────────────────────────────

const plot = $("plot");
plot.addEventListener("click", async (event) => {
  const box = plot.getBoundingClientRect();
  const px = ((event.clientX - box.left) / box.width) * plot.width;
  const py = ((event.clientY - box.top) / box.height) * plot.height;
  const dot = nearestDot(state.view, px, py);
  if (dot) { showDot(dot.split, dot.index + 1); return; } // dots are numbered from 1, as L[1] is
  const [x1, x2] = fromPixels(state.view.square, px, py);
  let label = Number($("colour").value);
  if (event.shiftKey) label = (label + 1) % $("colour").options.length; // the next colour
  if (state.view.heat) label = $("target").value; // a regression's target, checked by the session
  if (await api("POST", "point", { body: { x1, x2, label } })) say("");
});

// From the keyboard: Space on the focused plot plays or pauses, as the Play button does; a digit
// chooses the colour of a new dot (0 red, 1 blue, … as the picker numbers them).
plot.addEventListener("keydown", (event) => {
  if (/^[0-9]$/.test(event.key) && Number(event.key) < $("colour").options.length) {
    $("colour").value = event.key;
    say(`A click now adds a dot of class ${className(Number(event.key))}.`);
    return;
  }
  if (event.key !== " ") return;
  event.preventDefault();
  $("play").click();
});

// A weight or a bias: its ∂J/∂θ; a neuron: its maths on the chosen dot.
function openInNetwork(target) {
  const element = target.closest("[data-name], [data-neuron]");
  if (!element) return false;
  if (element.dataset.neuron) showNeuron(element.dataset.neuron); else inspect(element.dataset.name);
  return true;
}
$("network").addEventListener("click", (event) => openInNetwork(event.target));
$("network").addEventListener("keydown", (event) => {
  if ((event.key === "Enter" || event.key === " ") && openInNetwork(event.target)) event.preventDefault();
});

// ── the buttons ─────────────────────────────────────────────────────────────────────────

$("controls").addEventListener("submit", (event) => event.preventDefault());
// Play or Pause shows at once what it asked for; a frame made before the session applied it does
// not turn it back (a second click at once then asks the opposite, as it reads).
$("play").addEventListener("click", async () => {
  const action = $("play").textContent === "Play" ? "play" : "pause";
  $("play").textContent = action === "play" ? "Pause" : "Play";
  state.toggled = Infinity;
  const answer = await api("POST", action);
  state.toggled = answer ? answer.version : 0;
});
$("stepper").addEventListener("click", () => api("POST", "step"));
$("reset").addEventListener("click", async () => {
  say("");
  if (transport.worker?.failure) { // the worker stopped: a new one, with the settings in force
    delete document.documentElement.dataset.ready;
    forgetDotGraph(); // what the panels show is the old worker's model: it goes
    $("parameter").replaceChildren();
    state.curves = null;
    transport.worker.restart();
    await begin(state.settings);
    return;
  }
  await api("POST", "reset");
});
$("clear").addEventListener("click", () => api("POST", "clear"));
$("upload-model").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const answer = await api("POST", "model", { body: await file.text(), raw: true });
  event.target.value = "";
  if (answer) { say("The model is loaded."); settingsInForce(answer.settings); }
});

$("upload-dots").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const answer = await api("POST", "dots", { body: await file.text(), raw: true });
  event.target.value = "";
  if (answer) { say(`${answer.count} dots loaded: they stay through every change until Clear.`); settingsInForce(answer.settings); }
});

// A session from a link's fields (a bad link still gives a working page, with defaults).
async function begin(fields) {
  const answer = await api("POST", "session", { body: fields }) || await api("POST", "session", { body: {} });
  if (!answer) return;
  setSession(answer.session, answer.token);
  downloadLink($("download-model"), "model");
  downloadLink($("download-data"), "data");
  settingsInForce(answer.settings);
  openStream(showFrame);
}

async function start() {
  $("computed-by").textContent = transportKind; // "server" or "worker": where the frame's ms were spent
  const declared = await api("GET", "declaration");
  if (!declared) return;
  buildControls(declared.settings, sendSettings);
  setClasses(declared.classes);
  setGlossary(declared.glossary);
  await begin(fieldsFromUrl());
}

start();
