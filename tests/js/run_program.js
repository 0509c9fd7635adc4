// The Node side of tests/playground/test_executor_js.py: runs the program in the JSON file named
// on the command line ({program, theta, args}) and prints J and ∂J/∂θ, every number as text.
import { readFileSync } from "node:fs";
import { ProgramRun } from "../../autograd/executor.js";

const { program, theta, args } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { J, grads } = new ProgramRun(program).run(theta, args);
process.stdout.write(JSON.stringify({ J: String(J), grads: [...grads].map(String) }));
