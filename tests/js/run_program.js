// The Node side of tests/playground/test_executor_js.py: runs the program in the JSON file named
// on the command line ({program, theta, args, nodes?}) and prints J, ∂J/∂θ and, for each
// [part, step, dot] of `nodes`, that node (data, grad, partials), every number as text.
import { readFileSync } from "node:fs";
import { ProgramRun } from "../../autograd/executor.js";

const { program, theta, args, nodes = [] } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const run = new ProgramRun(program);
const { J, grads } = run.run(theta, args);
const text = (numbers) => [...numbers].map(String);
const read = nodes.map(([part, k, i]) => {
  const node = run.node(part, k, i);
  return { data: String(node.data), grad: String(node.grad), partials: text(node.partials) };
});
process.stdout.write(JSON.stringify({ J: String(J), grads: text(grads), nodes: read }));
