// The playground's page: controls → the server's JSON API; frames ← Server-Sent Events.
// Plain JavaScript, no framework, nothing fetched from anywhere but this server.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const RED = [214, 39, 40], BLUE = [31, 119, 180];

const state = {
  session: null, settings: {}, choices: {}, dots: { train: [[], [], []], test: [[], [], []] },
  dataVersion: -1, curves: null, view: [-2, 2, -2, 2], grid: 100, frames: [], architecture: "",
  steps: [], stepAt: 0, stream: null,
};

// ── talking to the server ───────────────────────────────────────────────────────────────

function say(text) { $("message").textContent = text || ""; }

async function api(method, action, { query = {}, body = null, raw = false } = {}) {
  const params = new URLSearchParams({ ...(state.session ? { s: state.session } : {}), ...query });
  const options = { method, headers: {} };
  if (body !== null) {
    options.body = raw ? body : JSON.stringify(body);
    options.headers["Content-Type"] = raw ? "application/json" : "application/json";
  }
  const answer = await fetch(`/api/${action}?${params}`, options);
  const payload = await answer.json().catch(() => ({ error: `the server answered ${answer.status}` }));
  if (!answer.ok) {
    say(payload.field ? `${payload.field}: ${payload.error}` : payload.error);
    return null;
  }
  return payload;
}

function fieldsFromUrl() {
  const fields = {};
  for (const [key, value] of new URLSearchParams(location.search)) fields[key] = value;
  return fields;
}

function showSettings(settings) {
  state.settings = settings;
  history.replaceState(null, "", "?" + new URLSearchParams(settings));
  for (const name of ["dataset", "points", "noise", "test_fraction", "seed", "hidden", "loss", "optimizer",
                      "lr", "batch_size", "l2"]) {
    const control = $(name);
    if (control && document.activeElement !== control) control.value = settings[name];
  }
  showActivations(settings.hidden, settings.activations.split(" ").filter(Boolean));
}

function showActivations(hidden, activations) {
  const sizes = hidden.split(/[\s,]+/).filter(Boolean);
  const box = $("activations");
  if (box.dataset.layers === String(sizes.length)) {
    sizes.forEach((_, k) => { $(`activation-${k + 1}`).value = activations[k] || "relu"; });
    return;
  }
  box.dataset.layers = String(sizes.length);
  box.replaceChildren();
  sizes.forEach((_, k) => {
    const label = document.createElement("label");
    label.htmlFor = `activation-${k + 1}`;
    label.textContent = `Activation of layer ${k + 1}`;
    const select = document.createElement("select");
    select.id = `activation-${k + 1}`;
    for (const name of Object.keys(state.choices.activation)) select.add(new Option(name, name));
    select.value = activations[k] || "relu";
    select.addEventListener("change", sendSettings);
    box.append(label, select);
  });
}

function collectSettings() {
  const fields = {};
  for (const name of ["dataset", "points", "noise", "test_fraction", "seed", "hidden", "loss", "optimizer",
                      "lr", "batch_size", "l2"]) fields[name] = $(name).value;
  const layers = fields.hidden.split(/[\s,]+/).filter(Boolean).length;
  const chosen = [];
  for (let k = 1; k <= layers; k++) chosen.push($(`activation-${k}`) ? $(`activation-${k}`).value : "relu");
  fields.activations = chosen.join(" ");
  fields.added = state.settings.added || "";
  return fields;
}

async function sendSettings() {
  const answer = await api("POST", "settings", { body: collectSettings() });
  if (answer) { say(""); state.curves = null; showSettings(answer.settings); }
}

// ── frames ──────────────────────────────────────────────────────────────────────────────

function openStream() {
  if (state.stream) state.stream.close();
  state.stream = new EventSource(`/api/stream?s=${encodeURIComponent(state.session)}`);
  state.stream.onmessage = (event) => showFrame(JSON.parse(event.data));
}

function showFrame(frame) {
  const now = performance.now();
  state.frames = state.frames.filter((t) => now - t < 1000);
  state.frames.push(now);
  $("fps").textContent = String(state.frames.length);
  $("epoch").textContent = frame.epoch;
  $("step").textContent = frame.step;
  $("server-ms").textContent = frame.server_ms;
  $("play").textContent = frame.playing ? "Pause" : "Play";
  if (frame.message) say(frame.message);
  if (frame.dots) { state.dots = frame.dots; state.dataVersion = frame.data_version; }
  state.view = frame.view;
  state.grid = frame.grid;
  if (frame.settings.added !== state.settings.added) showSettings(frame.settings);
  addCurves(frame.curves, frame.curves_from);
  drawPlot(frame.boundary);
  drawNetwork(frame.network);
  drawCurves();
}

function addCurves(curves, from) {
  if (!state.curves || from === 0) state.curves = Object.fromEntries(Object.keys(curves).map((k) => [k, []]));
  for (const [name, values] of Object.entries(curves)) state.curves[name].push(...values);
}

// ── the plot: the boundary, the dots ───────────────────────────────────────────────────

const plot = $("plot");
const scratch = document.createElement("canvas");

function mix(a, b, t) { return a.map((v, i) => Math.round(v + (b[i] - v) * t)); }

function drawPlot(boundary) {
  const n = state.grid;
  scratch.width = scratch.height = n;
  const cells = Uint8Array.from(atob(boundary), (c) => c.charCodeAt(0));
  const image = scratch.getContext("2d").createImageData(n, n);
  for (let k = 0; k < n * n; k++) {
    const t = cells[k] / 255;
    const colour = t < 0.5 ? mix(RED, [255, 255, 255], t * 2) : mix([255, 255, 255], BLUE, (t - 0.5) * 2);
    const light = mix(colour, [255, 255, 255], 0.55);
    image.data.set([...light, 255], 4 * k);
  }
  scratch.getContext("2d").putImageData(image, 0, 0);
  const g = plot.getContext("2d");
  g.imageSmoothingEnabled = true;
  g.drawImage(scratch, 0, 0, plot.width, plot.height);
  for (const [split, square] of [["train", false], ["test", true]]) {
    const [xs, ys, labels] = state.dots[split];
    for (let k = 0; k < xs.length; k++) {
      const [px, py] = toPixels(xs[k], ys[k]);
      g.fillStyle = `rgb(${(labels[k] ? BLUE : RED).join(",")})`;
      g.strokeStyle = "white";
      g.beginPath();
      if (square) g.rect(px - 4, py - 4, 8, 8); else g.arc(px, py, 4, 0, 2 * Math.PI);
      g.fill();
      g.stroke();
    }
  }
}

function toPixels(x, y) {
  const [x0, x1, y0, y1] = state.view;
  return [((x - x0) / (x1 - x0)) * plot.width, ((y1 - y) / (y1 - y0)) * plot.height];
}

function fromPixels(px, py) {
  const [x0, x1, y0, y1] = state.view;
  return [x0 + (px / plot.width) * (x1 - x0), y1 - (py / plot.height) * (y1 - y0)];
}

function nearestDot(px, py) {
  let found = null, best = 7;
  for (const split of ["train", "test"]) {
    const [xs, ys] = state.dots[split];
    for (let k = 0; k < xs.length; k++) {
      const [qx, qy] = toPixels(xs[k], ys[k]);
      const d = Math.hypot(qx - px, qy - py);
      if (d < best) { best = d; found = { split, index: k }; }
    }
  }
  return found;
}

plot.addEventListener("click", async (event) => {
  const box = plot.getBoundingClientRect();
  const px = ((event.clientX - box.left) / box.width) * plot.width;
  const py = ((event.clientY - box.top) / box.height) * plot.height;
  const dot = nearestDot(px, py);
  if (dot) { showDot(dot.split, dot.index); return; }
  const [x1, x2] = fromPixels(px, py);
  let label = Number($("colour").dataset.label);
  if (event.shiftKey) label = 1 - label;
  if (await api("POST", "point", { body: { x1, x2, label } })) say("");
});

$("colour").addEventListener("click", () => {
  const red = $("colour").getAttribute("aria-pressed") !== "true";
  $("colour").setAttribute("aria-pressed", String(red));
  $("colour").dataset.label = red ? "0" : "1";
  $("colour").textContent = red ? "red (0)" : "blue (1)";
});

// ── the network diagram ─────────────────────────────────────────────────────────────────

function svgElement(name, attributes, title) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (title) {
    const t = document.createElementNS(SVG, "title");
    t.textContent = title;
    element.append(t);
  }
  return element;
}

function drawNetwork(network) {
  const svg = $("network");
  const columns = [network.inputs, ...network.layers.map((l) => l.b.length)];
  const width = 400, height = 260;
  const at = (c, k) => [30 + (c * (width - 60)) / (columns.length - 1),
                        height / 2 + (k - (columns[c] - 1) / 2) * Math.min(28, (height - 30) / columns[c])];
  const shape = JSON.stringify(columns) + network.layers.map((l) => l.activation).join();
  if (shape !== state.architecture) {
    state.architecture = shape;
    svg.replaceChildren();
    network.layers.forEach((layer, i) => {
      layer.W.forEach((row, u) => row.forEach((_, j) => {
        const [x1, y1] = at(i, j), [x2, y2] = at(i + 1, u);
        const name = `W${i + 1}[${u + 1},${j + 1}]`;
        // A thin quadrilateral rather than a <line>: its width is |w|, and it has an area to click.
        svg.append(svgElement("polygon", { "data-ends": [x1, y1, x2, y2].join(" "), tabindex: 0,
          "data-name": name, role: "button", stroke: "transparent", "stroke-width": 5 }, name));
      }));
    });
    for (let k = 0; k < network.inputs; k++) {
      const [x, y] = at(0, k);
      svg.append(svgElement("circle", { cx: x, cy: y, r: 9 }, `x${k + 1}`));
      svg.append(Object.assign(svgElement("text", { x: x - 22, y: y + 3 }), { textContent: `x${k + 1}` }));
    }
    network.layers.forEach((layer, i) => layer.b.forEach((_, u) => {
      const [x, y] = at(i + 1, u);
      const name = `b${i + 1}[${u + 1}]`;
      svg.append(svgElement("circle", { cx: x, cy: y, r: 9, tabindex: 0, "data-name": name, role: "button" }, name));
    }));
  }
  const largest = Math.max(1e-9, ...network.layers.flatMap((l) => l.W.flat().map(Math.abs)));
  for (const element of svg.querySelectorAll("[data-name]")) {
    const name = element.dataset.name;
    const [, layer, unit, input] = name.match(/^[Wb](\d+)\[(\d+)(?:,(\d+))?\]$/).map(Number);
    const l = network.layers[layer - 1];
    const value = name[0] === "W" ? l.W[unit - 1][input - 1] : l.b[unit - 1];
    const text = name[0] === "W" ? `${name} = ${value}` : `${name} = ${value} (${l.activation})`;
    element.setAttribute("aria-label", text);
    element.querySelector("title").textContent = text;
    if (name[0] === "W") {
      const [x1, y1, x2, y2] = element.dataset.ends.split(" ").map(Number);
      const half = (0.4 + (4 * Math.abs(value)) / largest) / 2;
      const length = Math.hypot(x2 - x1, y2 - y1) || 1;
      const [nx, ny] = [(-(y2 - y1) / length) * half, ((x2 - x1) / length) * half];
      element.setAttribute("points", [[x1 + nx, y1 + ny], [x2 + nx, y2 + ny], [x2 - nx, y2 - ny],
                                      [x1 - nx, y1 - ny]].map((p) => p.map((v) => v.toFixed(2)).join(",")).join(" "));
      element.setAttribute("fill", value >= 0 ? "rgb(31,119,180)" : "rgb(214,39,40)");
    }
  }
}

$("network").addEventListener("click", (event) => {
  const name = event.target.closest("[data-name]")?.dataset.name;
  if (name) inspect(name);
});
$("network").addEventListener("keydown", (event) => {
  const name = event.target.closest("[data-name]")?.dataset.name;
  if (name && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); inspect(name); }
});

// ── the curves ──────────────────────────────────────────────────────────────────────────

function drawCurves() {
  const svg = $("curves");
  svg.replaceChildren();
  const c = state.curves;
  if (!c || !c.step.length) return;
  const w = 400, h = 100, n = c.step.length;
  const finite = (values) => values.filter((v) => v !== null && Number.isFinite(v));
  const top = Math.max(1e-9, ...finite(c.train_loss), ...finite(c.test_loss));
  const chart = (series, y0, scale, dashed, colour, name) => {
    const points = series.map((v, k) => (v === null || !Number.isFinite(v) ? null
      : `${((k + 1) / n) * (w - 10) + 5},${y0 + h - (v / scale) * (h - 10)}`)).filter(Boolean).join(" ");
    if (points) svg.append(svgElement("polyline", { points, fill: "none", stroke: colour,
      "stroke-width": 1.5, "stroke-dasharray": dashed ? "4 3" : "", "aria-label": name }, name));
  };
  chart(c.train_loss, 0, top, false, "#333", "train loss");
  chart(c.test_loss, 0, top, true, "#333", "test loss");
  chart(c.train_accuracy, h + 15, 1, false, "#2a7", "train accuracy");
  chart(c.test_accuracy, h + 15, 1, true, "#2a7", "test accuracy");
  const last = (series) => { const v = series[series.length - 1]; return v === null ? "–" : v.toFixed(3); };
  svg.append(Object.assign(svgElement("text", { x: 8, y: 12, "font-size": 11 }),
    { textContent: `J train ${last(c.train_loss)}, test ${last(c.test_loss)}` }));
  svg.append(Object.assign(svgElement("text", { x: 8, y: h + 27, "font-size": 11 }),
    { textContent: `accuracy train ${last(c.train_accuracy)}, test ${last(c.test_accuracy)}` }));
}

// ── inspecting ──────────────────────────────────────────────────────────────────────────

async function inspect(name) {
  say(`computing ∂J/∂${name} on every training dot…`);
  const found = await api("GET", "inspect", { query: { name } });
  if (!found) return;
  say("");
  const box = $("parameter");
  box.replaceChildren();
  const title = document.createElement("h3");
  title.textContent = `${name} = ${found.value.toPrecision(6)}`;
  const table = document.createElement("table");
  for (const [what, value] of [["∂J/∂θ by backpropagation", found.grad],
                               ["∂J/∂θ by finite differences", found.finite_difference],
                               ["J on the training dots", found.J]]) {
    const row = table.insertRow();
    row.insertCell().textContent = what;
    const cell = row.insertCell();
    cell.textContent = value.toPrecision(10);
    cell.dataset.what = what.startsWith("∂J/∂θ by back") ? "grad" : what.startsWith("∂J/∂θ by finite") ? "fd" : "J";
  }
  const count = document.createElement("p");
  count.textContent = `The chain rule: ∂J/∂${name} is the sum over ${found.count} paths; the largest by |product|:`;
  const list = document.createElement("ol");
  for (const path of found.paths) list.append(Object.assign(document.createElement("li"), { textContent: path }));
  box.append(title, table, count, list);
}

async function showDot(split, index) {
  const full = $("dot-full").checked ? "1" : "0";
  say(`drawing the graph of ${split} dot ${index} with Graphviz…`);
  const found = await api("GET", "dot", { query: { split, index, full } });
  if (!found) return;
  say("");
  $("dot-summary").textContent =
    `${split} dot ${index}: (${found.x.map((v) => v.toFixed(3)).join(", ")}), label ${found.label}, ` +
    `its loss L = ${found.loss.toPrecision(6)}`;
  $("dot-graph").innerHTML = found.svg; // Graphviz's SVG from this server; labels escaped there
  state.steps = found.steps;
  state.stepAt = 0;
  $("backprop").hidden = !found.steps.length;
  showStep();
}

function showStep() {
  const step = state.steps[state.stepAt];
  if (!step) return;
  $("back-text").textContent = `step ${state.stepAt + 1} of ${state.steps.length}: ${step.text}`;
  for (const node of $("dot-graph").querySelectorAll("g.node")) {
    node.classList.toggle("current", node.querySelector("title")?.textContent === step.node);
  }
}

$("back-next").addEventListener("click", () => { state.stepAt = Math.min(state.steps.length - 1, state.stepAt + 1); showStep(); });
$("back-prev").addEventListener("click", () => { state.stepAt = Math.max(0, state.stepAt - 1); showStep(); });
$("dot-show").addEventListener("click", () => showDot("train", Number($("dot-index").value)));

// ── the controls ────────────────────────────────────────────────────────────────────────

for (const name of ["dataset", "points", "noise", "test_fraction", "seed", "hidden", "loss", "optimizer",
                    "lr", "batch_size", "l2"]) {
  $(name).addEventListener("change", sendSettings);
}
$("controls").addEventListener("submit", (event) => event.preventDefault());
$("play").addEventListener("click", () => api("POST", $("play").textContent === "Play" ? "play" : "pause"));
$("stepper").addEventListener("click", () => api("POST", "step"));
$("reset").addEventListener("click", async () => { say(""); state.curves = null; await api("POST", "reset"); });
$("clear").addEventListener("click", () => api("POST", "clear"));
$("upload-model").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const answer = await api("POST", "model", { body: await file.text(), raw: true });
  event.target.value = "";
  if (answer) { say("The model is loaded."); state.curves = null; showSettings(answer.settings); }
});

async function start() {
  const answer = await api("POST", "session", { body: fieldsFromUrl() })
    || await api("POST", "session", { body: {} }); // a bad link still gives a working page
  if (!answer) return;
  state.session = answer.session;
  state.choices = answer.choices;
  for (const [control, names] of [["dataset", state.choices.dataset], ["loss", state.choices.loss],
                                  ["optimizer", state.choices.optimizer]]) {
    for (const [value, shown] of Object.entries(names)) $(control).add(new Option(shown, value));
  }
  $("download-model").href = `/api/model?s=${state.session}`;
  $("download-data").href = `/api/data?s=${state.session}`;
  showSettings(answer.settings);
  openStream();
}

start();
