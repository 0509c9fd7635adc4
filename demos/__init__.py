"""The workshop "Mathematics in Deep Learning", worked out by chaingrad, figure by figure.

    python -m demos [--out DIR] [--seed N]      # every chapter; `make demo` runs this
    python -m demos.boundary --dataset circles  # one chapter, with its own options

A chapter is a module of this package with a ``TITLE``, a ``run(out, **options)`` whose
annotated keywords are its command-line options (see `demos.cli`), and ``QUICK`` options for a
run of seconds; its number, and so its files' prefix, is its position in `CHAPTERS`. Adding one
is its file and its line below. (The package also holds helpers and the playground, which are
not chapters.)
"""

CHAPTERS = (
    "dots", "perceptron", "activations", "mlp", "boundary", "gradient", "descent", "curves", "classes",
)
