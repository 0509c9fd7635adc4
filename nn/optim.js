// The update of every optimizer of nn.OPTIMIZERS in JavaScript, for the browser's executor: one
// rule each, written as nn/optim.py's `_update` writes it, in the same order of operations, on
// Float64Arrays that the rule updates in place (the parameters θ and the optimizer's state).
// tests/playground/test_optim_js.py checks each against its Python rule in Node, and an
// optimizer added to OPTIMIZERS without a rule here fails that test by name.

export const UPDATES = {
  // SGD: g = ∇J + weight_decay·θ; with momentum, v ← momentum·v + g and g = v; θ ← θ − lr·g
  sgd: (theta, grads, lr, { momentum, weight_decay: decay }, { velocity }) => {
    for (let i = 0; i < theta.length; i++) {
      let g = grads[i] + decay * theta[i];
      if (momentum) {
        velocity[i] = momentum * velocity[i] + g;
        g = velocity[i];
      }
      theta[i] -= lr * g;
    }
  },
  // Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − lr·(m/c₁)/(√(v/c₂) + ε), with
  // c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ at step t (from 1)
  adam: (theta, grads, lr, { beta1, beta2, eps, t }, { m, v }) => {
    const c1 = 1.0 - beta1 ** t, c2 = 1.0 - beta2 ** t;
    for (let i = 0; i < theta.length; i++) {
      const g = grads[i];
      m[i] = beta1 * m[i] + (1.0 - beta1) * g;
      v[i] = beta2 * v[i] + (1.0 - beta2) * g * g;
      theta[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
    }
  },
};
