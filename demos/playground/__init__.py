"""The playground: a network learns the red and blue dots in the browser, and any weight's ∂J/∂w
or any dot's computation graph is one click away.

    python -m demos.playground            # or: make playground

`session` holds a session's dots, network and training (no HTTP in it); `api` answers the page's
requests on it, whichever transport carries them: `server` (HTTP and server-sent events) or
`worker` (the static site's Web Worker, in Pyodide: ``make site``, built by `site`); `static/` is
the page itself, plain HTML, CSS and JavaScript.
"""

import os

# One BLAS thread: the boundary's small matrix products run several times faster than with
# OpenBLAS's default threads on two busy cores. Set before NumPy is first imported.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
