"""The workshop "Mathematics in Deep Learning", worked out by chaingrad, figure by figure.

    python -m demos [--out DIR] [--seed N]      # every chapter; `make demo` runs this
    python -m demos.boundary --dataset circles  # one chapter, with its own options

Chapters: dots, perceptron, activations, mlp, boundary, gradient, descent, curves.
"""

CHAPTERS = ("dots", "perceptron", "activations", "mlp", "boundary", "gradient", "descent", "curves")
