// The inspector: a parameter's ∂J/∂θ beside its finite difference and the chain rule's largest
// paths; a dot's loss graph drawn by Graphviz, and backpropagation through it step by step.

import { api, say } from "./transport.js";

const $ = (id) => document.getElementById(id);
let steps = [], stepAt = 0;

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

export async function inspect(name) {
  say(`computing ∂J/∂${name} on every training dot…`);
  const found = await api("GET", "inspect", { query: { name } });
  if (!found) return;
  say("");
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
  for (const path of found.paths) list.append(Object.assign(document.createElement("li"), { textContent: path }));
  box.append(title, table, count, list);
}

export async function showDot(split, index) {
  const full = $("dot-full").checked ? "1" : "0";
  say(`drawing the graph of ${split} dot ${index} with Graphviz…`);
  const found = await api("GET", "dot", { query: { split, index, full } });
  if (!found) return;
  say("");
  $("dot-summary").textContent =
    `${split} dot ${index}: (${found.x.map((v) => v.toFixed(3)).join(", ")}), label ${found.label}, ` +
    `its loss L = ${found.loss.toPrecision(6)}`;
  $("dot-graph").innerHTML = found.svg; // Graphviz's SVG from this server; labels escaped there
  steps = found.steps;
  stepAt = 0;
  $("backprop").hidden = !steps.length;
  showStep();
}

function showStep() {
  const step = steps[stepAt];
  if (!step) return;
  $("back-text").textContent = `step ${stepAt + 1} of ${steps.length}: ${step.text}`;
  for (const node of $("dot-graph").querySelectorAll("g.node")) {
    node.classList.toggle("current", node.querySelector("title")?.textContent === step.node);
  }
}

$("back-next").addEventListener("click", () => { stepAt = Math.min(steps.length - 1, stepAt + 1); showStep(); });
$("back-prev").addEventListener("click", () => { stepAt = Math.max(0, stepAt - 1); showStep(); });
$("dot-show").addEventListener("click", () => showDot("train", Number($("dot-index").value)));
