// The Node side of tests/playground/test_kernels_js.py: one JSON array a line on stdin,
// [op, params, inputs, out], answered with [forward, partials] on stdout. Numbers travel as
// text ("inf", "-inf", "nan" included) so that every float crosses exactly.
import { createInterface } from "node:readline";
import { KERNELS } from "../../autograd/kernels.js";

const read = (s) => (s === "inf" ? Infinity : s === "-inf" ? -Infinity : s === "nan" ? NaN : Number(s));
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const [op, params, inputs, out] = JSON.parse(line);
  const kernel = KERNELS[op];
  if (!kernel) {
    process.stdout.write(JSON.stringify({ missing: op }) + "\n");
    return;
  }
  if (!inputs.length) { // a question of presence only
    process.stdout.write(JSON.stringify({ present: op }) + "\n");
    return;
  }
  const given = [...params.map(read), ...inputs.map(read)];
  const forward = kernel.forward(...given);
  const partials = kernel.partials(...given, read(out));
  process.stdout.write(JSON.stringify([String(forward), partials.map(String)]) + "\n");
});
