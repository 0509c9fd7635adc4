"""The workshop as a lesson students type through: the source of both notebooks.

    python -m demos.lesson      # writes demos/workshop.ipynb and demos/workshop-solutions.ipynb

One list of cells, following the slides of "Mathematics in Deep Learning": each step is the
chaingrad code a student would write. An exercise is one cell with a blank (``...``) in the
lesson and the answer in the solutions, and a check cell under it (`demos.exercises`). Every
section starts from a known state, so later cells never depend on an answer. The tests check
that the committed notebooks are what this file builds, and run both.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LESSON, SOLUTIONS = HERE / "workshop.ipynb", HERE / "workshop-solutions.ipynb"


@dataclass(frozen=True)
class Exercise:
    """A "your turn" cell: the lesson shows `blank`, the solutions `answer`."""

    blank: str
    answer: str


def md(text: str) -> tuple[str, str]:
    return ("markdown", text.strip())


def code(text: str) -> tuple[str, str]:
    return ("code", text.strip())


CELLS = [
    md("""
# Mathematics in Deep Learning, in chaingrad

The workshop's story, in code you type and run: the red and blue dots, a perceptron built by
hand from `Value`s, activation functions, the MLP and its matrix form, the loss J and its
gradient ∇J by the chain rule, gradient descent, batches, the decision boundary, and three classes.

After each section comes a **your turn** cell with a blank `...` to fill in, and a check cell
under it that says whether your answer is right, and if not, what is wrong. Each section starts
afresh, so you can skip an exercise and go on. The answers are in `workshop-solutions.ipynb`.
"""),
    code("""
import matplotlib.pyplot as plt
import numpy as np

from autograd import Value, draw, explain, numerical_grad
from demos import exercises
from demos.common import plot_boundary, plot_dots
from nn import MLP, Adam, Layer, Neuron, cross_entropy, datasets, draw_network, fit, hinge

%matplotlib inline
"""),
    md("""
## 1. A classification problem

Let's build some networks to separate this dataset of red (0) and blue (1) dots.
"""),
    code("""
X, y = datasets.moons(100, noise=0.1, seed=0)
print(len(X), "dots; the first:", X[0], "label", y[0])
fig, ax = plt.subplots(figsize=(4.5, 3.5))
plot_dots(ax, X, y, title="the moons")
plt.show()
"""),
    md("""
## 2. A perceptron, by hand

A perceptron computes a = w₁·x₁ + w₂·x₂ + b, then a non-linear activation f(a). The weights w₁,
w₂ and the bias b are its **parameters**. Here it is from `Value`s, each a node of a graph that
remembers how it was made, and every edge its local partial derivative.
"""),
    code("""
x1, x2 = Value(X[0][0], label="x1"), Value(X[0][1], label="x2")
w1, w2, b = Value(0.5, label="w1"), Value(-1.0, label="w2"), Value(0.1, label="b")
a = w1 * x1 + w2 * x2 + b
a.label = "a"
a.backward()  # the chain rule, from a back to every input
draw(a)
"""),
    md("""
`backward()` left ∂a/∂w₁ in `w1.grad`. The same number by finite differences: nudge w₁ by a tiny
h either way and see how much a moves.
"""),
    code("""
print("by backward():           ∂a/∂w1 =", w1.grad, " (it is x1 =", x1.data, ")")
(nudged,) = numerical_grad(lambda w: w * x1 + w2 * x2 + b, [w1])
print("by finite differences:   ∂a/∂w1 ≈", nudged)
"""),
    md("**Your turn.** What is ∂a/∂w₂? Write it as a number, or in terms of `x1`, `x2`, `w1`, `w2`, `b`."),
    Exercise(
        blank="d_a_d_w2 = ...  # your turn",
        answer="d_a_d_w2 = x2.data  # every other term is constant in w2",
    ),
    code("exercises.check_partial_of_a(d_a_d_w2, x2.data)"),
    md("""
## 3. Non-linear activation functions

Two examples: the sigmoid σ(x) = 1/(1 + e⁻ˣ) and the rectified linear unit ReLU(x) = max(0, x).
Their derivatives come from `backward()`, not from a formula typed by hand. Deep learning does not
work without non-linear activation functions: without them a network draws straight lines only.
"""),
    code("""
xs = [k / 10 for k in range(-40, 41)]
fig, axes = plt.subplots(1, 2, figsize=(9, 3))
for ax, name in zip(axes, ["sigmoid", "relu"]):
    values, slopes = [], []
    for x in xs:
        v = Value(x)
        out = getattr(v, name)()
        out.backward()
        values.append(out.data)
        slopes.append(v.grad)
    ax.plot(xs, values, label=f"{name}(x)")
    ax.plot(xs, slopes, "--", label=f"{name}'(x) by backward()")
    ax.set_title(name)
    ax.legend(fontsize=8)
plt.show()
"""),
    md("""
**Your turn.** Give tanh its derivative, as chaingrad's own ops are given theirs: a rule that gets
the input `x` and the output `out = tanh(x)` and returns (∂out/∂x,). Hint: tanh′(x) = 1 − tanh²(x).
The check builds `primitive("your_tanh", math.tanh, tanh_partials)` and compares its gradient with
finite differences.
"""),
    Exercise(
        blank="def tanh_partials(x, out):\n    return (...,)  # your turn: ∂out/∂x, from out = tanh(x)",
        answer="def tanh_partials(x, out):\n    return (1 - out * out,)",
    ),
    code("exercises.check_tanh_derivative(tanh_partials)"),
    md("""
## 4. The MLP: h = f(W·x + b)

A multi-layered perceptron combines perceptrons: three neurons over the same two inputs make a
hidden layer, and one more neuron reads the three. Neuron by neuron, the hidden layer computes
h₁ = f(w₁,₁·x₁ + w₁,₂·x₂ + b₁), h₂ = …, h₃ = …: a system of equations, which matrix algebra
tidies into **h** = f(W·**x** + **b**).
"""),
    code("""
hidden = Layer(2, 3, activation="relu", seed=0)  # three neurons, each h = relu(w·x + b)
output = Neuron(3, activation="linear", seed=1, layer=2)
x = X[0]
h = hidden(x)
score = output(h)
print("neuron by neuron: h =", [round(v.data, 6) for v in h], " score =", round(score.data, 6))
W, bias = np.array(hidden.W), np.array(hidden.b)
print("matrix form:      h =", np.maximum(W @ np.array(x) + bias, 0.0).round(6))
print("W =", W.round(3).tolist(), " b =", bias.round(3).tolist())
"""),
    md("""
Deep networks stack layers: **h**ᵢ = f(Wᵢ·**h**ᵢ₋₁ + **b**ᵢ), a recurrence relation. `MLP` does the
stacking; its parameters are named as on the slides, `W1[3,2]` from input 2 to unit 3 of layer 1.
"""),
    code("""
model = MLP(2, [3, 1], seed=0)
print(model)
print([name for name, _ in model.named_parameters()])
draw_network(model)
"""),
    md("""
## 5. The loss J and its gradient ∇J

A loss function compares the network's predictions with the labels: J(θ₁, …, θₙ) is the mean of
the dots' losses L[i]. Its gradient ∇J, the column of every ∂J/∂θ, says how to change each
parameter. `backward()` computes it with the chain rule; `explain` writes one partial out path by
path: the sum, over every path from θ to J, of the product of the local partials along it.
"""),
    code("""
model = MLP(2, [3, 1], seed=0)
batch_X, batch_y = X[:4], y[:4]
J = hinge([model(x) for x in batch_X], batch_y)
J.backward()
print(model.gradient_table())
"""),
    code("print(explain(J, model.parameters()[0], order='magnitude', limit=3))"),
    md("""
**Your turn.** A perceptron with no activation scores aᵢ = w·xᵢ + b, and mean squared error makes
J = (1/n) Σ (aᵢ − yᵢ)². By the chain rule, what is ∂J/∂b on these four dots? (∂aᵢ/∂b = 1.)
"""),
    code("""
perceptron = MLP(2, [1], seed=0)
scores = [perceptron(x).data for x in batch_X]
print("scores a_i:", [round(s, 4) for s in scores], "  labels y_i:", batch_y)
"""),
    Exercise(
        blank="d_J_d_b = ...  # your turn: a number, or an expression of scores and batch_y",
        answer="d_J_d_b = 2 / len(batch_y) * sum(a - t for a, t in zip(scores, batch_y))",
    ),
    code("exercises.check_dJ_db(d_J_d_b, scores, batch_y)"),
    md("""
## 6. Walking down the mountain

Training walks down the loss like walking down a mountain: the gradient points the steepest way
up, so each step moves every parameter a little the other way, θ ← θ − lr·∂J/∂θ. Here is
gradient descent written out, a few lines:
"""),
    code("""
model = MLP(2, [8, 1], seed=0)
for step in range(30):
    J = hinge([model(x) for x in X], y)
    model.zero_grad()
    J.backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad
    if step % 10 == 0 or step == 29:
        print(f"step {step:2}: J = {J.data:.4f}")
"""),
    md("**Your turn.** Write that update as a function: move every parameter `p` by −`lr`·`p.grad`."),
    Exercise(
        blank="def sgd_step(params, lr):\n    return ...  # your turn",
        answer="def sgd_step(params, lr):\n    for p in params:\n        p.data -= lr * p.grad",
    ),
    code("exercises.check_sgd_step(sgd_step)"),
    md("`fit` runs that loop for you, with any optimizer, and keeps a history of every step:"),
    code("""
model = MLP(2, [16, 16, 1], seed=0)
history = fit(model, X, y, optimizer=Adam(model.parameters(), lr=0.02), epochs=150, progress=False)
print(history)
"""),
    md("""
## 7. Batches

Each small step is the gradient computed for a batch of examples from the training data, not
for all of them: more steps per pass over the data, each cheaper and noisier.
"""),
    code("""
full = fit(MLP(2, [8, 1], seed=0), X, y, lr=0.3, epochs=20, progress=False)
mini = fit(MLP(2, [8, 1], seed=0), X, y, lr=0.3, epochs=20, batch_size=10, seed=0, progress=False)
fig, ax = plt.subplots(figsize=(6, 3))
steps = [k / 10 for k in range(len(mini.loss))]  # 10 batches an epoch
ax.plot(steps, mini.loss, alpha=0.5, label="batches of 10: a step each")
ax.plot(range(len(full.loss)), full.loss, label="full batch: a step per epoch")
ax.set_xlabel("epoch")
ax.set_ylabel("J")
ax.legend(fontsize=8)
plt.show()
"""),
    md("""
**Your turn.** Pick a learning rate with which plain SGD brings the loss of a 2-8-1 network on the
moons down to half or less in 40 full-batch steps. Too small and it crawls; too large and it blows up.
"""),
    Exercise(blank="lr = ...  # your turn", answer="lr = 0.3"),
    code("exercises.check_learning_rate(lr)"),
    md("""
## 8. The decision boundary

The combination of hidden layers and non-linear activation functions gives a non-linear decision
boundary: here is the one the network of section 6 learned.
"""),
    code("""
fig, ax = plt.subplots(figsize=(4.5, 3.5))
plot_boundary(ax, model, X, y, title=f"{model}")
plt.show()
"""),
    md("""
## 9. Beyond red and blue: three classes

With K classes the network ends in K scores z₁ … z_K, one per class. The softmax turns them into
probabilities pₖ = e^(zₖ) / Σⱼ e^(zⱼ), and a dot of class y costs L = −ln p_y = lse(z) − z_y, where
lse(z) = ln Σⱼ e^(zⱼ) (`logsumexp`, one node). The chain rule through it gives the cleanest
derivative in deep learning: ∂L/∂zₖ = pₖ − [k = y]. In the graph, each edge zₖ → lse carries pₖ.
"""),
    code("""
X3, y3 = datasets.spiral(300, seed=0, classes=3)
model3 = MLP(2, [16, 16, 3], activation="tanh", seed=0)
history3 = fit(model3, X3, y3, loss="cross_entropy", optimizer=Adam(model3.parameters(), lr=0.02),
               epochs=300, progress=False, replay=True)
fig, ax = plt.subplots(figsize=(4.5, 3.5))
plot_boundary(ax, model3, X3, y3, title=f"three spirals: J = {history3.loss[-1]:.3f}")
plt.show()
z = [Value(1.0, label="z1"), Value(2.0, label="z2"), Value(0.5, label="z3")]
L = cross_entropy([z], [1])  # one dot of class 1 (the second): L = lse(z) − z[1]
L.backward()
print("∂L/∂z by backward():", [round(zk.grad, 4) for zk in z])
"""),
    md("""
**Your turn.** Write ∂L/∂zₖ for every k by hand: pₖ − 1 for the dot's class y, pₖ for the others.
The check makes an op whose partials are your rule and compares them with finite differences
(`autograd.testing`), at several scores and classes.
"""),
    Exercise(
        blank="def dL_dz(z, y):\n    # z: the K scores (floats), y: the class (0 … K−1)\n"
              "    return ...  # your turn: the K partials ∂L/∂z",
        answer="def dL_dz(z, y):\n    p = np.exp(np.array(z) - max(z))  # the softmax, shifted: no overflow\n"
               "    p = p / p.sum()\n    return [pk - (k == y) for k, pk in enumerate(p)]",
    ),
    code("exercises.check_softmax_partials(dL_dz)"),
    md("""
## Now play

`python -m demos.playground` (or `make playground`) opens the playground in your browser: a network
learns the dots live, and a click on any weight shows its ∂J/∂w with its chain-rule paths, a click
on any dot the computation graph of its loss, backpropagated node by node.

The maths we have used: matrix algebra, recurrence relations, functions, partial differentiation
and the chain rule.
"""),
]


def notebook(solutions: bool):
    """One of the two notebooks, as an `nbformat` notebook with no outputs."""
    import nbformat

    cells = []
    for cell in CELLS:
        if isinstance(cell, Exercise):
            text = cell.answer if solutions else cell.blank
            cells.append(nbformat.v4.new_code_cell(text, metadata={"tags": ["your-turn"]}))
        elif cell[0] == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(cell[1]))
        else:
            cells.append(nbformat.v4.new_code_cell(cell[1]))
    if solutions:
        cells[0] = nbformat.v4.new_markdown_cell(
            "**The solutions**: every \"your turn\" cell answered; each check says ✓.\n\n" + CELLS[0][1]
        )
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    for k, c in enumerate(book.cells):  # stable ids, so that rebuilding changes nothing
        c["id"] = f"cell-{k:02d}"
    return book


def main() -> int:
    import nbformat

    from autograd.files import write_text

    for path, solutions in ((LESSON, False), (SOLUTIONS, True)):
        write_text(path, nbformat.writes(notebook(solutions)))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
