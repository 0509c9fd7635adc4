// Every op of autograd.OPS in JavaScript, for the browser's executor of replay's program: each
// op's forward and its local partials side by side, as autograd/ops.py writes them, on plain
// numbers (a Float64Array's elements). A family's rules take its parameter first (x ** k: k;
// leaky_relu: the slope); `partials` gets the inputs and the forward's output, as in Python.
//
// The same operations in the same order as the Python rules: +, −, ×, ÷, relu and affine give
// the very same bits (affine sums from the bias, b + w₁x₁ + w₂x₂ + …, as eager does); the others
// call V8's Math, which agrees with CPython's libm to within 2 ulp. tests/playground/
// test_kernels_js.py walks OPS and checks each kernel against its Python rule in Node: an op
// added to OPS without a kernel here fails that test by name.

const ONE = [1];

function sigmoid(x) {
  // Only ever exponentiate a non-positive number, so nothing overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const z = Math.exp(x);
  return z / (1 + z);
}

function powerSlope(k, x) {
  // k·x^(k−1), +inf at 0 for k < 1 (the edge of the domain, as sqrt's)
  if (k === 0) return 0;
  if (x === 0 && k < 1) return Infinity;
  return k * x ** (k - 1);
}

export const KERNELS = {
  // x + y: ∂/∂x = 1, ∂/∂y = 1
  "+": { forward: (x, y) => x + y, partials: () => [1, 1] },
  // x − y: ∂/∂x = 1, ∂/∂y = −1
  "-": { forward: (x, y) => x - y, partials: () => [1, -1] },
  // x · y: ∂/∂x = y, ∂/∂y = x
  "*": { forward: (x, y) => x * y, partials: (x, y) => [y, x] },
  // −x: ∂/∂x = −1
  neg: { forward: (x) => -x, partials: () => [-1] },
  // x / y: ∂/∂x = 1/y, ∂/∂y = −x/y² = −out/y
  "/": { forward: (x, y) => x / y, partials: (x, y, out) => [1 / y, -out / y] },
  // x ** k for a constant k: ∂/∂x = k·x^(k−1)
  "**k": { params: 1, forward: (k, x) => x ** k, partials: (k, x) => [powerSlope(k, x)] },
  // x ** y: ∂/∂x = y·x^(y−1), ∂/∂y = x^y · ln x (0 at x = 0, its limit)
  "**": {
    forward: (x, y) => x ** y,
    partials: (x, y, out) => (x === 0
      ? [y < 1 ? Infinity : y * x ** (y - 1), 0]
      : [y * x ** (y - 1), out * Math.log(x)]),
  },
  // |x|: ∂/∂x = sign(x), 0 at 0
  abs: { forward: Math.abs, partials: (x) => [x > 0 ? 1 : x < 0 ? -1 : 0] },
  // eˣ: ∂/∂x = eˣ
  exp: { forward: Math.exp, partials: (x, out) => [out] },
  // ln x: ∂/∂x = 1/x
  log: { forward: Math.log, partials: (x) => [1 / x] },
  // √x: ∂/∂x = 1/(2√x), +inf at 0
  sqrt: { forward: Math.sqrt, partials: (x, out) => [out === 0 ? Infinity : 0.5 / out] },
  // sin x: ∂/∂x = cos x;  cos x: ∂/∂x = −sin x
  sin: { forward: Math.sin, partials: (x) => [Math.cos(x)] },
  cos: { forward: Math.cos, partials: (x) => [-Math.sin(x)] },
  // tanh x: ∂/∂x = 1 − tanh²x
  tanh: { forward: Math.tanh, partials: (x, out) => [1 - out * out] },
  // σ(x) = 1/(1 + e⁻ˣ): ∂/∂x = σ(x)(1 − σ(x))
  sigmoid: { forward: sigmoid, partials: (x, out) => [out * (1 - out)] },
  // relu x = max(0, x): ∂/∂x = 1 for x > 0, else 0
  relu: { forward: (x) => (x > 0 ? x : 0), partials: (x) => (x > 0 ? ONE : [0]) },
  // leaky_relu: ∂/∂x = 1 for x > 0, else the slope
  leaky_relu: {
    params: 1,
    forward: (slope, x) => (x > 0 ? x : slope * x),
    partials: (slope, x) => [x > 0 ? 1 : slope],
  },
  // softplus x = ln(1 + eˣ): ∂/∂x = σ(x)
  softplus: {
    forward: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    partials: (x) => [sigmoid(x)],
  },
  // affine Σ wᵢ·xᵢ + b over (w₁ … wₙ, x₁ … xₙ, b): ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1
  affine: {
    variadic: true,
    forward: (...args) => {
      const n = (args.length - 1) / 2;
      let total = args[2 * n];
      for (let i = 0; i < n; i++) total += args[i] * args[n + i];
      return total;
    },
    partials: (...args) => {
      const n = (args.length - 2) / 2;
      return [...args.slice(n, 2 * n), ...args.slice(0, n), 1];
    },
  },
  // Σ vᵢ: ∂/∂vᵢ = 1
  sum: {
    variadic: true,
    forward: (...xs) => xs.reduce((total, x) => total + x, 0),
    partials: (...args) => args.slice(0, -1).map(() => 1),
  },
  // ln Σ e^(zₖ), shifted by the largest z: ∂/∂zₖ = e^(zₖ − out) = pₖ, the softmax
  logsumexp: {
    variadic: true,
    forward: (...zs) => {
      const top = Math.max(...zs);
      let spread = 0;
      for (const z of zs) spread += Math.exp(z - top);
      return top + Math.log(spread);
    },
    partials: (...args) => {
      const out = args[args.length - 1];
      return args.slice(0, -1).map((z) => Math.exp(z - out));
    },
  },
  // (1/n) Σ vᵢ: ∂/∂vᵢ = 1/n
  mean: {
    variadic: true,
    forward: (...xs) => xs.reduce((total, x) => total + x, 0) / xs.length,
    partials: (...args) => args.slice(0, -1).map(() => 1 / (args.length - 1)),
  },
};
