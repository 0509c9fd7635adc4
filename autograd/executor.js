// Replay's program (autograd/program.py, as `Program.as_dict()` writes it) run in JavaScript:
// one dot's steps over every dot of a batch, the reduction, the tail, then backpropagation to
// ∂J/∂θ for every parameter, with the kernels of autograd/kernels.js. It is what the browser's
// worker can run at the speed of V8 instead of pure Python.
//
// A run keeps every dot's values, so that any node can still be read after it (`valueOf`).
// tests/playground/test_executor_js.py checks J and every ∂J/∂θ against the NumPy executor's
// replay of the same program.

import { KERNELS } from "./kernels.js";

const PARAM = 0, CONST = 1, SLOT = 2, SHARED = 3, DOT = 4, REDUCED = 5, TAIL = 6;
const KINDS = { param: PARAM, const: CONST, slot: SLOT, shared: SHARED, dot: DOT, reduced: REDUCED, tail: TAIL };

function compiled(steps, where) {
  return steps.map((step, k) => {
    const kernel = KERNELS[step.op];
    if (!kernel) throw new Error(`${where} step ${k}: no JavaScript kernel for the op ${JSON.stringify(step.op)}`);
    const refs = step.inputs.map(([kind, index]) => {
      if (!(kind in KINDS)) throw new Error(`${where} step ${k}: unknown input kind ${JSON.stringify(kind)}`);
      return [KINDS[kind], index];
    });
    return { kernel, params: step.params, refs };
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
    this.slots = program.slots.map(([argument, path]) => [argument, path]);
  }

  // The slot values of dot i: args[argument][i], then down the path within its row.
  slotValue(args, s, i) {
    const [argument, path] = this.slots[s];
    let v = args[argument][i];
    for (const j of path) v = v[j];
    return v;
  }

  /** J and ∂J/∂θ (a Float64Array in the parameters' order) for parameters `theta` (numbers) on
   * the batch `args` (one array per argument of the recorded function: rows of X, labels…). */
  run(theta, args) {
    const n = args[0].length, D = this.dot.length;
    const shared = new Float64Array(this.shared.length);
    const tail = new Float64Array(this.tail.length);
    const dots = new Float64Array(n * D);
    const slots = this.slots.map((_, s) => Float64Array.from({ length: n }, (_, i) => this.slotValue(args, s, i)));
    let reduced = 0;
    const value = (kind, index, i) => {
      switch (kind) {
        case PARAM: return theta[index];
        case CONST: return index;
        case SLOT: return slots[index][i];
        case SHARED: return shared[index];
        case DOT: return dots[i * D + index];
        case REDUCED: return reduced;
        default: return tail[index];
      }
    };
    const inputs = (step, i) => [...step.params, ...step.refs.map(([kind, index]) => value(kind, index, i))];
    this.shared.forEach((step, k) => { shared[k] = step.kernel.forward(...inputs(step, 0)); });
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < D; k++) dots[i * D + k] = this.dot[k].kernel.forward(...inputs(this.dot[k], i));
    }
    for (let i = 0; i < n; i++) reduced += dots[i * D + this.program.output];
    if (this.program.reduction === "mean") reduced /= n;
    this.tail.forEach((step, k) => { tail[k] = step.kernel.forward(...inputs(step, 0)); });
    const J = this.tail.length ? tail[this.tail.length - 1] : reduced;

    // backward: the tail, the reduction, every dot's steps, then the shared steps
    const grads = new Float64Array(theta.length);
    const sharedAdjoint = new Float64Array(this.shared.length);
    const tailAdjoint = new Float64Array(this.tail.length);
    let reducedAdjoint = this.tail.length ? 0 : 1;
    const dotAdjoint = new Float64Array(D);
    const spread = (step, i, out, adjoint, intoDot) => {
      const given = inputs(step, i);
      const partials = step.kernel.partials(...given, out);
      step.refs.forEach(([kind, index], j) => {
        const add = adjoint * partials[j];
        if (kind === PARAM) grads[index] += add;
        else if (kind === SHARED) sharedAdjoint[index] += add;
        else if (kind === DOT) intoDot[index] += add;
        else if (kind === REDUCED) reducedAdjoint += add;
        else if (kind === TAIL) tailAdjoint[index] += add;
      });
    };
    if (this.tail.length) tailAdjoint[this.tail.length - 1] = 1;
    for (let k = this.tail.length - 1; k >= 0; k--) spread(this.tail[k], 0, tail[k], tailAdjoint[k], null);
    const perDot = this.program.reduction === "mean" ? reducedAdjoint * (1 / n) : reducedAdjoint;
    for (let i = 0; i < n; i++) {
      dotAdjoint.fill(0);
      dotAdjoint[this.program.output] = perDot;
      for (let k = D - 1; k >= 0; k--) spread(this.dot[k], i, dots[i * D + k], dotAdjoint[k], dotAdjoint);
    }
    for (let k = this.shared.length - 1; k >= 0; k--) spread(this.shared[k], 0, shared[k], sharedAdjoint[k], null);
    this.last = { dots, shared, tail, reduced, n };
    return { J, grads };
  }

  /** After a run: step k of dot i's program, its value. */
  valueOf(i, k) {
    return this.last.dots[i * this.dot.length + k];
  }
}
