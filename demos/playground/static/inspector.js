// The inspector: a parameter's ∂J/∂θ beside its finite difference and the chain rule's largest
// paths; a dot's loss graph drawn by Graphviz, and backpropagation through it step by step.

import { explained, namesUsed } from "./glossary.js";
import { api, say } from "./transport.js";
import { ZoomView } from "./zoom.js";

const $ = (id) => document.getElementById(id);
let steps = [], stepAt = 0;
let chosen = { split: "train", index: 1 }; // the dot a neuron's maths is shown on: the last one clicked or typed
let neuronShown = null;
const view = new ZoomView($("dot-graph"));

const cell = (row, text, value) => {
  const c = row.insertCell();
  c.textContent = text;
  if (value !== undefined) { c.className = "number"; c.dataset.value = String(value); }
  return c;
};
const short = (v) => Number(v.toPrecision(4)).toString();
const signed = (v) => (v < 0 ? `− ${short(-v)}` : short(v)); // as the slides write it: "− 0.18"

// A neuron's maths on the chosen dot: each wⱼ·xⱼ, the bias, a, f and h = f(a), and ∂J/∂h.
export async function showNeuron(name) {
  const { split, index } = chosen;
  say(`computing ${name} on ${split} dot ${index}…`);
  const found = await api("GET", "neuron", { query: { name, split, index } });
  if (!found) return;
  say("");
  neuronShown = name;
  const box = $("neuron");
  const [a, av] = found.pre_activation, [h, hv] = found.output, [b, bv] = found.bias;
  const linear = a === h;
  const sum = found.terms.map(([w, , x]) => `${w}·${x}`).join(" + ") + ` + ${b}`;
  const title = document.createElement("h3");
  const used = new Set();
  title.append(explained(linear ? `${h} = ${sum}` : `${h} = ${found.activation}(${sum})`, used));
  title.dataset.name = name;
  const where = document.createElement("p");
  where.className = "hint";
  where.textContent = `on ${split} dot ${index}: ${found.row}, with the weights of this moment (click a dot, or type its number below, for another)`;
  const table = document.createElement("table");
  for (const [w, wv, x, xv] of found.terms) {
    const row = table.insertRow();
    cell(row, `${w} · ${x}`);
    cell(row, `${short(wv)} × ${short(xv)}`);
    cell(row, `= ${signed(wv * xv)}`, wv * xv).dataset.what = "term";
  }
  const biasRow = table.insertRow();
  cell(biasRow, `+ ${b}`);
  cell(biasRow, "");
  cell(biasRow, signed(bv), bv).dataset.what = "bias";
  const total = table.insertRow();
  total.className = "total";
  cell(total, linear ? `${h} (linear: h = a)` : `${a}, the pre-activation`);
  cell(total, "");
  cell(total, `= ${signed(av)}`, av).dataset.what = "a";
  if (!linear) {
    const out = table.insertRow();
    cell(out, `${h} = ${found.activation}(${a})`);
    cell(out, "");
    cell(out, `= ${signed(hv)}`, hv).dataset.what = "h";
  }
  const slope = table.insertRow();
  cell(slope, `∂${found.grad_of.split(" ")[0]}/∂${h}`);
  cell(slope, found.grad_of.includes(" ") ? found.grad_of.slice(found.grad_of.indexOf(" ") + 1) : "");
  cell(slope, signed(found.grad), found.grad).dataset.what = "grad";
  box.replaceChildren(title, where, table, namesUsed(used));
}

// The watched parameter, live: its value and ∂J/∂θ from every frame (or every few frames, as the
// server says); after a change that removes it, the panel says so.
export function showWatched(watched) {
  const box = $("parameter");
  const title = box.querySelector("h3");
  if (!watched || !title || title.dataset.name !== watched.name) return;
  const live = box.querySelector(".live") || box.appendChild(Object.assign(document.createElement("p"), { className: "live" }));
  if (watched.gone) {
    title.textContent = `${watched.name}: this network has no such parameter any more`;
    live.textContent = "";
    return;
  }
  title.textContent = `${watched.name} = ${watched.value.toPrecision(6)}`;
  if (watched.grad === undefined) return;
  const cell = box.querySelector('td[data-what="grad"]');
  cell.textContent = watched.grad.toPrecision(10);
  cell.dataset.value = String(watched.grad);
  const often = watched.every === 1 ? "every frame" : `every ${watched.every} frames (it costs more than a quarter of a frame)`;
  live.textContent = `∂J/∂θ live at step ${watched.at_step}, updated ${often}` + (watched.note ? `: ${watched.note}.` : ".");
}

// `quietly`: a refresh of the panel for new weights, which leaves the message line as it is.
export async function inspect(name, { quietly = false } = {}) {
  if (!quietly) say(`computing ∂J/∂${name} on every training dot…`);
  const found = await api("GET", "inspect", { query: { name }, quiet: quietly });
  if (!found) return;
  if (!quietly) say("");
  const box = $("parameter");
  box.replaceChildren();
  const title = document.createElement("h3");
  title.textContent = `${name} = ${found.value.toPrecision(6)}`;
  title.dataset.name = name;
  const table = document.createElement("table");
  for (const [what, value, key] of [["∂J/∂θ by backpropagation", found.grad, "grad"],
                                    ["∂J/∂θ by finite differences (when clicked)", found.finite_difference, "fd"],
                                    ["J on the training dots (when clicked)", found.J, "J"]]) {
    const row = table.insertRow();
    row.insertCell().textContent = what;
    const cell = row.insertCell();
    cell.textContent = value.toPrecision(10);
    cell.dataset.what = key;
    cell.dataset.value = String(value); // full precision, for whoever reads the page
  }
  const count = document.createElement("p");
  count.textContent = `The chain rule: ∂J/∂${name} is the sum over ${found.count} paths; the largest by |product|:`;
  const list = document.createElement("ol");
  const used = new Set();
  for (const path of found.paths) {
    const item = document.createElement("li");
    item.append(explained(path, used)); // each name titled with its meaning
    list.append(item);
  }
  box.append(title, table, count, list, namesUsed(used));
}

export async function showDot(split, index) {
  chosen = { split, index };
  const full = $("dot-full").checked ? "1" : "0";
  say(`drawing the graph of ${split} dot ${index} with Graphviz…`);
  const found = await api("GET", "dot", { query: { split, index, full } });
  if (!found) return;
  say("");
  $("dot-summary").textContent =
    `${split} dot ${index}: (${found.x.map((v) => v.toFixed(3)).join(", ")}), ` +
    (Number.isInteger(found.label) ? `label ${found.label}, ` : `target ${Number(found.label.toPrecision(4))}, `) +
    `its loss L = ${found.loss.toPrecision(6)}`;
  $("dot-graph").innerHTML = found.svg; // Graphviz's SVG from this server; labels escaped there
  const svg = $("dot-graph").querySelector("svg");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `the loss graph of ${split} dot ${index}`);
  $("graph-tools").hidden = false;
  view.show(svg);
  steps = found.steps;
  stepAt = 0;
  $("backprop").hidden = !steps.length;
  showStep();
  if (neuronShown) await showNeuron(neuronShown); // the same neuron, on this dot
}

// After new weights the neuron's numbers are another model's: they go, and say why.
export function forgetNeuron() {
  if (!neuronShown) return;
  neuronShown = null;
  $("neuron").textContent = "The network has new weights: click a neuron again to see its maths now.";
}

function showStep() {
  const step = steps[stepAt];
  if (!step) return;
  const used = new Set();
  $("back-text").replaceChildren(`step ${stepAt + 1} of ${steps.length}: `, explained(step.text, used));
  $("back-names").replaceChildren(namesUsed(used));
  let current = null;
  for (const node of $("dot-graph").querySelectorAll("g.node")) {
    const lit = node.querySelector("title")?.textContent === step.node;
    node.classList.toggle("current", lit);
    if (lit) current = node;
  }
  view.reveal(current); // the step's node (or the unit box it is folded into), readable
}

function stepBy(k) {
  stepAt = Math.max(0, Math.min(steps.length - 1, stepAt + k));
  showStep();
}

$("back-next").addEventListener("click", () => stepBy(1));
$("back-prev").addEventListener("click", () => stepBy(-1));
$("zoom-in").addEventListener("click", () => view.zoom(1.25));
$("zoom-out").addEventListener("click", () => view.zoom(0.8));
$("zoom-fit").addEventListener("click", () => view.fit());
// From the keyboard, the graph as with the mouse: arrows step through backprop (Shift: pan), + − zoom.
$("dot-graph").addEventListener("keydown", (event) => {
  if (!steps.length) return;
  const pan = 60 / view.scale;
  const keys = event.shiftKey
    ? { ArrowLeft: () => view.pan(-pan, 0), ArrowRight: () => view.pan(pan, 0),
        ArrowUp: () => view.pan(0, -pan), ArrowDown: () => view.pan(0, pan) }
    : { ArrowLeft: () => stepBy(-1), ArrowRight: () => stepBy(1), ArrowUp: () => stepBy(-1),
        ArrowDown: () => stepBy(1), "+": () => view.zoom(1.25), "=": () => view.zoom(1.25),
        "-": () => view.zoom(0.8), "0": () => view.fit() };
  const act = keys[event.key];
  if (act) { event.preventDefault(); act(); }
});
$("dot-show").addEventListener("click", () => showDot("train", Number($("dot-index").value)));
$("dot-index").addEventListener("change", () => {
  chosen = { split: "train", index: Number($("dot-index").value) };
  if (neuronShown) showNeuron(neuronShown);
});
