// What the page draws: the boundary with its dots (a canvas), the network (SVG, each weight and
// bias a button), and the curves (SVG).

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
// Each class's colour and shape, from the server (demos/styles.py): Okabe–Ito's colours, a shape each.
let classes = [{ colour: "#D55E00", shape: "circle" }, { colour: "#0072B2", shape: "triangle" }];
const rgb = (hex) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
export function setClasses(declared) { classes = declared; }
// A regression's scale, low to high: viridis (perceptually even, read by every colour vision).
const VIRIDIS = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"].map((hex) => rgb(hex));
function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1), k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  return mix(VIRIDIS[k], VIRIDIS[k + 1], x - k);
}
// "dark purple −0.16 to yellow 1.2, the dots coloured by their targets on the same scale".
export const heatKey = ([low, high]) => `dark purple ${Number(low.toPrecision(3))} to yellow ` +
  `${Number(high.toPrecision(3))}, the dots coloured by their targets on the same scale`;
export const classColour = (label) => classes[label].colour;
// "red (0)": a class as the colour picker names it.
export const className = (label) => `${classes[label].name} (${label})`;
// "red circles are class 0, blue triangles class 1": the key to the first `count` classes.
export function classKey(count) {
  const plural = (shape) => ({ "triangle-down": "triangles pointing down", plus: "pluses" })[shape] || `${shape}s`;
  return classes.slice(0, count).map((c, k) => `${c.name} ${plural(c.shape)} ${k ? "" : "are "}class ${k}`).join(", ");
}

// A dot of `shape` centred at (x, y), about 9 pixels across, as a path to fill and stroke.
function shapePath(g, shape, x, y) {
  const r = 4.5;
  const polygon = (points) => { g.moveTo(x + points[0][0], y + points[0][1]);
    for (const [px, py] of points.slice(1)) g.lineTo(x + px, y + py); g.closePath(); };
  if (shape === "triangle") polygon([[0, -r - 1], [r + 0.5, r - 0.5], [-r - 0.5, r - 0.5]]);
  else if (shape === "triangle-down") polygon([[0, r + 1], [r + 0.5, -r + 0.5], [-r - 0.5, -r + 0.5]]);
  else if (shape === "square") g.rect(x - r + 0.5, y - r + 0.5, 2 * r - 1, 2 * r - 1);
  else if (shape === "diamond") polygon([[0, -r - 1], [r + 1, 0], [0, r + 1], [-r - 1, 0]]);
  else if (shape === "plus") polygon([[-1.5, -r], [1.5, -r], [1.5, -1.5], [r, -1.5], [r, 1.5], [1.5, 1.5],
    [1.5, r], [-1.5, r], [-1.5, 1.5], [-r, 1.5], [-r, -1.5], [-1.5, -1.5]]);
  else g.arc(x, y, r, 0, 2 * Math.PI);
}

const plot = $("plot");
const scratch = document.createElement("canvas");
let architecture = "";

function mix(a, b, t) { return a.map((v, i) => Math.round(v + (b[i] - v) * t)); }

export function svgElement(name, attributes, title) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (title) {
    const t = document.createElementNS(SVG, "title");
    t.textContent = title;
    element.append(t);
  }
  return element;
}

// ── the plot: the boundary, the dots ───────────────────────────────────────────────────

export function drawPlot(view) {
  const n = view.grid;
  scratch.width = scratch.height = n;
  const decoded = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const cells = decoded(view.boundary);
  // Two classes: the confidence in class 1, from red through white to blue. More: the class decided
  // (`regions`) in its colour, from white where its probability is 1/K to full where it is 1.
  const regions = view.regions ? decoded(view.regions) : null;
  const colours = classes.map((c) => rgb(c.colour)), white = [255, 255, 255];
  const share = regions ? 1 / view.classes : 0.5;
  const image = scratch.getContext("2d").createImageData(n, n);
  for (let k = 0; k < n * n; k++) {
    const t = cells[k] / 255;
    const colour = view.heat ? viridis(t) // a regression: its prediction on the targets' scale
      : regions ? mix(white, colours[regions[k]], Math.max(0, (t - share) / (1 - share)))
      : t < 0.5 ? mix(colours[0], white, t * 2) : mix(white, colours[1], (t - 0.5) * 2);
    const light = mix(colour, white, 0.55);
    image.data.set([...light, 255], 4 * k);
  }
  scratch.getContext("2d").putImageData(image, 0, 0);
  const g = plot.getContext("2d");
  g.imageSmoothingEnabled = true;
  g.drawImage(scratch, 0, 0, plot.width, plot.height);
  for (const [split, hollow] of [["train", false], ["test", true]]) {
    const [xs, ys, labels] = view.dots[split];
    for (let k = 0; k < xs.length; k++) {
      const [px, py] = toPixels(view.square, xs[k], ys[k]);
      const style = view.heat ? { shape: "circle", colour: `rgb(${viridis((labels[k] - view.heat[0]) / (view.heat[1] - view.heat[0]))})` }
        : classes[labels[k] > 0 ? labels[k] : 0]; // a hinge label −1 is class 0
      g.beginPath();
      shapePath(g, style.shape, px, py);
      g.fillStyle = hollow ? "white" : style.colour;
      g.strokeStyle = hollow ? style.colour : view.heat ? "#222" : "white";
      g.lineWidth = hollow ? 2 : 1;
      g.fill();
      g.stroke();
    }
  }
}

export function toPixels([x0, x1, y0, y1], x, y) {
  return [((x - x0) / (x1 - x0)) * plot.width, ((y1 - y) / (y1 - y0)) * plot.height];
}

export function fromPixels([x0, x1, y0, y1], px, py) {
  return [x0 + (px / plot.width) * (x1 - x0), y1 - (py / plot.height) * (y1 - y0)];
}

export function nearestDot(view, px, py) {
  let found = null, best = 7;
  for (const split of ["train", "test"]) {
    const [xs, ys] = view.dots[split];
    for (let k = 0; k < xs.length; k++) {
      const [qx, qy] = toPixels(view.square, xs[k], ys[k]);
      const d = Math.hypot(qx - px, qy - py);
      if (d < best) { best = d; found = { split, index: k }; }
    }
  }
  return found;
}

// ── the network diagram ─────────────────────────────────────────────────────────────────

export function drawNetwork(network) {
  const svg = $("network");
  const columns = [network.inputs, ...network.layers.map((l) => l.b.length)];
  const width = 400, height = 260;
  const at = (c, k) => [30 + (c * (width - 60)) / (columns.length - 1),
                        height / 2 + (k - (columns[c] - 1) / 2) * Math.min(28, (height - 30) / columns[c])];
  const shape = JSON.stringify(columns) + network.layers.map((l) => l.activation).join();
  if (shape !== architecture) {
    architecture = shape;
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
      // The neuron: named as its node is (h1[2]); a click shows its maths on the chosen dot.
      const neuron = `h${i + 1}[${u + 1}]`;
      const circle = svgElement("circle", { cx: x, cy: y, r: 9, tabindex: 0, "data-neuron": neuron,
        role: "button", "aria-label": neuron, class: "neuron" },
        `${neuron}: unit ${u + 1} of layer ${i + 1}, ${layer.activation}; its maths on the chosen dot`);
      // Its bias, a small square at its foot: a click inspects ∂J/∂b as a weight's does.
      const name = `b${i + 1}[${u + 1}]`;
      const bias = svgElement("rect", { x: x + 4, y: y + 4, width: 8, height: 8, tabindex: 0,
        "data-name": name, role: "button", class: "bias" }, name);
      svg.append(circle, bias);
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
      element.setAttribute("fill", value >= 0 ? "#0072B2" : "#D55E00"); // Okabe–Ito blue and vermillion
    }
  }
}

// ── the curves ──────────────────────────────────────────────────────────────────────────

export function drawCurves(c) {
  const svg = $("curves");
  svg.replaceChildren();
  if (!c || !c.step.length) return;
  const w = 400, h = 100, n = c.step.length;
  const finite = (values) => values.filter((v) => v !== null && Number.isFinite(v));
  const top = Math.max(1e-9, ...finite(c.train_loss), ...finite(c.test_loss));
  const x = (k) => ((k + 1) / n) * (w - 10) + 5;
  const chart = (series, y0, scale, dashed, colour, name) => {
    const points = series.map((v, k) => (v === null || !Number.isFinite(v) ? null
      : `${x(k)},${y0 + h - (v / scale) * (h - 10)}`)).filter(Boolean).join(" ");
    if (points) svg.append(svgElement("polyline", { points, fill: "none", stroke: colour,
      "stroke-width": 1.5, "stroke-dasharray": dashed ? "4 3" : "", "aria-label": name }, name));
  };
  chart(c.train_loss, 0, top, false, "#333", "train loss");
  chart(c.test_loss, 0, top, true, "#333", "test loss");
  // A regression's second chart is its root-mean-square error, scaled by its largest.
  const fits = (c.train_rmse || []).some((v) => v !== null);
  const worst = Math.max(1e-9, ...finite(c.train_rmse || []), ...finite(c.test_rmse || []));
  const metric = fits ? "RMSE" : "accuracy";
  chart(fits ? c.train_rmse : c.train_accuracy, h + 15, fits ? worst : 1, false, "#2a7", `train ${metric}`);
  chart(fits ? c.test_rmse : c.test_accuracy, h + 15, fits ? worst : 1, true, "#2a7", `test ${metric}`);
  for (const [step, text] of c.changes || []) { // a live change, marked where it happened
    const k = c.step.findIndex((s) => s > step);
    if (k < 0) continue;
    svg.append(svgElement("line", { x1: x(k), x2: x(k), y1: 0, y2: 2 * h + 15, stroke: "#999",
      "stroke-dasharray": "2 2", class: "change" }, `${text} from step ${step + 1}`));
  }
  const last = (series) => { const v = series[series.length - 1]; return v === null ? "—" : v.toFixed(3); };
  svg.append(Object.assign(svgElement("text", { x: 8, y: 12, "font-size": 11 }),
    { textContent: `J train ${last(c.train_loss)}, test ${last(c.test_loss)}` }));
  svg.append(Object.assign(svgElement("text", { x: 8, y: h + 27, "font-size": 11 }),
    { textContent: fits ? `RMSE train ${last(c.train_rmse)}, test ${last(c.test_rmse)}`
      : `accuracy train ${last(c.train_accuracy)}, test ${last(c.test_accuracy)}` }));
}
