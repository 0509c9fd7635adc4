// Replay's program (autograd/program.py, as `Program.as_dict()` writes it) run in JavaScript over
// a batch of dots: one dot's steps, each over every dot at once (a column of a Float64Array per
// step), the mean or sum, the tail; then backpropagation, a step at a time over every dot, to
// ∂J/∂θ for every parameter. Each step calls its op's kernel of autograd/kernels.js, so the
// numbers are the Python rules' (a layer's affine step sums from the bias, b + w₁x₁ + w₂x₂ + …,
// as eager does). This is what the browser's worker runs at V8's speed instead of pure Python:
// the training steps, the boundary's grid, the curves' losses (demos/playground/javascript.py).
//
// A run keeps every step's values and adjoints for its dots, so that any node can still be read
// after it, as a node of the whole batch's graph would be (`node`: its data, grad and partials).
// tests/playground/test_executor_js.py checks J, every ∂J/∂θ and the nodes against the NumPy
// executor's replay and eager chaingrad.

import { KERNELS } from "./kernels.js";

const PARAM = 0, CONST = 1, SLOT = 2, SHARED = 3, DOT = 4, REDUCED = 5, TAIL = 6;
const KINDS = { param: PARAM, const: CONST, slot: SLOT, shared: SHARED, dot: DOT, reduced: REDUCED, tail: TAIL };
const isColumn = (v) => typeof v !== "number";

/** A set of dots as columns: one Float64Array per input of a dot, keyed by `Dots.key(argument,
 * path)` (argument 0's first coordinate: "0:0"; a label, argument 1: "1:"). */
export class Dots {
  constructor(n, columns) {
    this.n = n;
    this.columns = columns; // Map: key → Float64Array(n)
  }

  static key(argument, path) {
    return `${argument}:${path.join(",")}`;
  }

  /** From one array per argument of the recorded function, a row per dot (numbers, or nested
   * arrays of numbers such as a dot's coordinates). */
  static fromRows(args) {
    const n = args[0].length, columns = new Map();
    args.forEach((rows, argument) => {
      if (rows.length !== n) throw new Error(`argument ${argument} has ${rows.length} dots, argument 0 has ${n}`);
      const paths = [];
      const walk = (entry, path) => (Array.isArray(entry) ? entry.forEach((e, j) => walk(e, [...path, j])) : paths.push(path));
      walk(rows[0], []);
      for (const path of paths) {
        columns.set(Dots.key(argument, path), Float64Array.from(rows, (row) => path.reduce((v, j) => v[j], row)));
      }
    });
    return new Dots(n, columns);
  }

  /** From `keys` and one flat array holding their columns one after another (what Python sends). */
  static fromFlat(keys, flat) {
    const n = flat.length / keys.length, columns = new Map();
    keys.forEach((key, c) => columns.set(key, Float64Array.from(flat.subarray(c * n, (c + 1) * n))));
    return new Dots(n, columns);
  }
}

function compiled(steps, where) {
  return steps.map((step, k) => {
    const kernel = KERNELS[step.op];
    if (!kernel) throw new Error(`${where} step ${k}: no JavaScript kernel for the op ${JSON.stringify(step.op)}`);
    const refs = step.inputs.map(([kind, index]) => {
      if (!(kind in KINDS)) throw new Error(`${where} step ${k}: unknown input kind ${JSON.stringify(kind)}`);
      return [KINDS[kind], index];
    });
    // A layer's unit: Σ wᵢ·xᵢ + b with every weight and the bias one number for all dots.
    const n = (refs.length - 1) / 2;
    const affine = step.op === "affine"
      && [...refs.slice(0, n), refs[2 * n]].every(([kind]) => kind !== SLOT && kind !== DOT);
    return { op: step.op, kernel, params: step.params, refs, affine };
  });
}

export class ProgramRun {
  /** A program as `Program.as_dict()` writes it; an op without a kernel is refused by name. */
  constructor(program) {
    if (!["mean", "sum"].includes(program.reduction)) throw new Error(`unknown reduction ${program.reduction}`);
    this.program = program;
    this.shared = compiled(program.shared, "shared");
    this.dot = compiled(program.dot, "dot");
    this.tail = compiled(program.tail, "tail");
    this.slotKeys = program.slots.map(([argument, path]) => Dots.key(argument, path));
    this.n = -1;
  }

  static fromJSON(text) {
    return new ProgramRun(JSON.parse(text));
  }

  /** J and ∂J/∂θ (a Float64Array in the parameters' order) for parameters `theta` on the batch
   * `args` (one array per argument of the recorded function: rows of X, labels…). */
  run(theta, args) {
    const J = this.evaluate(theta, Dots.fromRows(args));
    return { J, grads: this.grads };
  }

  /** J of the program for parameters `theta` on `dots` (only those numbered in `indices`, if
   * given); with `backward`, ∂J/∂θ in `this.grads` and every node's adjoint kept too. */
  evaluate(theta, dots, indices = null, backward = true) {
    const slots = this.slotKeys.map((key) => {
      const column = dots.columns.get(key);
      if (!column) throw new Error(`the dots have no input ${key} that the program reads`);
      return indices ? Float64Array.from(indices, (i) => column[i]) : column;
    });
    const n = indices ? indices.length : dots.n;
    if (n < 1) throw new Error("the batch is empty");
    if (n !== this.n) {
      this.n = n;
      this.values = this.dot.map(() => new Float64Array(n));
      this.adjoints = this.dot.map(() => new Float64Array(n));
    }
    this.theta = Float64Array.from(theta);
    this.slots = slots;
    this.sharedValues = new Float64Array(this.shared.length);
    this.tailValues = new Float64Array(this.tail.length);
    this.shared.forEach((step, k) => { this.sharedValues[k] = this.scalarForward(step); });
    this.dot.forEach((step, k) => this.columnForward(step, this.values[k]));
    let reduced = 0;
    const out = this.values[this.program.output];
    for (let i = 0; i < n; i++) reduced += out[i];
    this.reduced = this.program.reduction === "mean" ? reduced / n : reduced;
    this.tail.forEach((step, k) => { this.tailValues[k] = this.scalarForward(step); });
    const J = this.tail.length ? this.tailValues[this.tail.length - 1] : this.reduced;
    if (backward) this.backward();
    return J;
  }

  // An input's value: one number for all dots, or a column of one per dot.
  input([kind, index]) {
    switch (kind) {
      case PARAM: return this.theta[index];
      case CONST: return index;
      case SLOT: return this.slots[index];
      case SHARED: return this.sharedValues[index];
      case DOT: return this.values[index];
      case REDUCED: return this.reduced;
      default: return this.tailValues[index];
    }
  }

  scalarForward(step) {
    return step.kernel.forward(...step.params, ...step.refs.map((ref) => this.input(ref)));
  }

  columnForward(step, out) {
    const n = this.n, f = step.kernel.forward, ins = step.refs.map((ref) => this.input(ref));
    if (step.affine) { // out = b, then += wᵢ·xᵢ in order: eager's sum, every dot at once
      const m = (ins.length - 1) / 2;
      out.fill(ins[2 * m]);
      for (let j = 0; j < m; j++) {
        const w = ins[j], x = ins[m + j];
        if (isColumn(x)) for (let i = 0; i < n; i++) out[i] += w * x[i];
        else for (let i = 0; i < n; i++) out[i] += w * x;
      }
      return;
    }
    if (step.params.length === 0 && ins.length === 1 && isColumn(ins[0])) {
      const a = ins[0];
      for (let i = 0; i < n; i++) out[i] = f(a[i]);
      return;
    }
    if (step.params.length === 0 && ins.length === 2) {
      const [a, b] = ins;
      if (isColumn(a) && isColumn(b)) for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
      else if (isColumn(a)) for (let i = 0; i < n; i++) out[i] = f(a[i], b);
      else if (isColumn(b)) for (let i = 0; i < n; i++) out[i] = f(a, b[i]);
      else out.fill(f(a, b));
      return;
    }
    const given = [...step.params, ...ins], p = step.params.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < ins.length; j++) given[p + j] = isColumn(ins[j]) ? ins[j][i] : ins[j];
      out[i] = f(...given);
    }
  }

  backward() {
    const n = this.n;
    this.grads = new Float64Array(this.theta.length);
    this.sharedAdjoints = new Float64Array(this.shared.length);
    this.tailAdjoints = new Float64Array(this.tail.length);
    this.reducedAdjoint = this.tail.length ? 0 : 1;
    if (this.tail.length) this.tailAdjoints[this.tail.length - 1] = 1;
    for (let k = this.tail.length - 1; k >= 0; k--) {
      this.scalarBackward(this.tail[k], this.tailValues[k], this.tailAdjoints[k]);
    }
    this.adjoints.forEach((adjoint) => adjoint.fill(0));
    const perDot = this.program.reduction === "mean" ? this.reducedAdjoint * (1 / n) : this.reducedAdjoint;
    this.adjoints[this.program.output].fill(perDot);
    for (let k = this.dot.length - 1; k >= 0; k--) this.columnBackward(this.dot[k], k);
    for (let k = this.shared.length - 1; k >= 0; k--) {
      this.scalarBackward(this.shared[k], this.sharedValues[k], this.sharedAdjoints[k]);
    }
  }

  // Add `amount` to the adjoint of a number-valued input (a parameter's is its ∂J/∂θ).
  addTo([kind, index], amount) {
    if (kind === PARAM) this.grads[index] += amount;
    else if (kind === SHARED) this.sharedAdjoints[index] += amount;
    else if (kind === REDUCED) this.reducedAdjoint += amount;
    else if (kind === TAIL) this.tailAdjoints[index] += amount;
  }

  scalarBackward(step, out, adjoint) {
    const partials = step.kernel.partials(...step.params, ...step.refs.map((ref) => this.input(ref)), out);
    step.refs.forEach((ref, j) => this.addTo(ref, adjoint * partials[j]));
  }

  columnBackward(step, k) {
    const n = this.n, adjoint = this.adjoints[k], out = this.values[k];
    const ins = step.refs.map((ref) => this.input(ref));
    if (step.affine) { // ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1
      const m = (ins.length - 1) / 2;
      for (let j = 0; j < m; j++) {
        const w = ins[j], x = ins[m + j], xRef = step.refs[m + j];
        let dw = 0;
        if (isColumn(x)) for (let i = 0; i < n; i++) dw += adjoint[i] * x[i];
        else for (let i = 0; i < n; i++) dw += adjoint[i] * x;
        this.addTo(step.refs[j], dw);
        if (xRef[0] === DOT) {
          const into = this.adjoints[xRef[1]];
          for (let i = 0; i < n; i++) into[i] += adjoint[i] * w;
        }
      }
      let db = 0;
      for (let i = 0; i < n; i++) db += adjoint[i];
      this.addTo(step.refs[2 * m], db);
      return;
    }
    const given = [...step.params, ...ins, 0], p = step.params.length, last = given.length - 1;
    const sums = new Float64Array(ins.length);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < ins.length; j++) given[p + j] = isColumn(ins[j]) ? ins[j][i] : ins[j];
      given[last] = out[i];
      const partials = step.kernel.partials(...given);
      for (let j = 0; j < ins.length; j++) {
        const [kind, index] = step.refs[j], add = adjoint[i] * partials[j];
        if (kind === DOT) this.adjoints[index][i] += add;
        else sums[j] += add;
      }
    }
    step.refs.forEach((ref, j) => { if (ref[0] !== DOT) this.addTo(ref, sums[j]); });
  }

  /** After a run: every dot's value of dot step k (a copy). */
  column(k) {
    return this.values[k].slice();
  }

  /** After a run: step k of dot i's program, its value. */
  valueOf(i, k) {
    return this.values[k][i];
  }

  /** After a run with backward: a node as the whole batch's graph holds it: step k of `part`
   * ("dot": of dot i; "shared" or "tail": the one node), its data, its grad ∂J/∂node, its
   * inputs' values and its local partials. */
  node(part, k, i = 0) {
    const steps = { dot: this.dot, shared: this.shared, tail: this.tail }[part];
    if (!steps || !steps[k]) throw new Error(`no ${part} step ${k}`);
    const step = steps[k];
    const inputs = step.refs.map((ref) => { const v = this.input(ref); return isColumn(v) ? v[i] : v; });
    const data = part === "dot" ? this.values[k][i] : part === "shared" ? this.sharedValues[k] : this.tailValues[k];
    const grad = part === "dot" ? this.adjoints[k][i] : part === "shared" ? this.sharedAdjoints[k] : this.tailAdjoints[k];
    return { op: step.op, data, grad, inputs, partials: [...step.kernel.partials(...step.params, ...inputs, data)] };
  }
}

/** Each (value − offset) × scale as a byte, rounded half to even as Python's round() (a
 * Uint8ClampedArray converts so), clamped to 0 … 255. */
export function bytes(values, scale = 255, offset = 0) {
  const clamped = new Uint8ClampedArray(values.length);
  for (let i = 0; i < values.length; i++) clamped[i] = (values[i] - offset) * scale;
  return new Uint8Array(clamped.buffer);
}

/** Over K columns of scores, one per class: at each dot the class whose score is largest (the
 * first of equal ones), as nn/losses.py's decide_by_largest, and that class's softmax probability
 * e^(max z − lse z) as a byte, as its confidence_by_softmax: { regions, confidence }. */
export function largest(columns) {
  const n = columns.length ? columns[0].length : 0, lse = KERNELS.logsumexp.forward;
  const regions = new Uint8Array(n), probability = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const zs = columns.map((column) => column[i]);
    let best = 0;
    for (let k = 1; k < zs.length; k++) if (zs[k] > zs[best]) best = k;
    regions[i] = best;
    probability[i] = Math.exp(zs[best] - lse(...zs));
  }
  return { regions, confidence: bytes(probability) };
}
