// The Node side of tests/playground/test_optim_js.py: one JSON object a line on stdin,
// {rule, theta, grads, lr, constants, state}, answered with {theta, state} after the rule of
// nn/optim.js updated them in place; or {missing} for a rule it does not have. Numbers travel
// as text so that every float crosses exactly.
import { createInterface } from "node:readline";
import { UPDATES } from "../../nn/optim.js";

const floats = (texts) => Float64Array.from(texts, Number);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const { rule, theta, grads, lr, constants, state } = JSON.parse(line);
  if (!UPDATES[rule]) {
    process.stdout.write(JSON.stringify({ missing: rule }) + "\n");
    return;
  }
  const th = floats(theta);
  const arrays = Object.fromEntries(Object.entries(state).map(([name, values]) => [name, floats(values)]));
  UPDATES[rule](th, floats(grads), Number(lr), constants, arrays);
  const text = (a) => [...a].map(String);
  const after = Object.fromEntries(Object.entries(arrays).map(([name, values]) => [name, text(values)]));
  process.stdout.write(JSON.stringify({ theta: text(th), state: after }) + "\n");
});
