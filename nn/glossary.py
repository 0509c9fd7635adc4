"""What the names `nn` gives to nodes mean, said once: the glossary behind every explanation.

`nn` names the nodes it makes in the slides' notation (`module.py`: ``W1[3,2]``, ``b1[3]``,
``a1[3]``, ``h1[3]``, a dot's inputs ``x1[i]``; `losses.py`: ``L[i]``, ``m[i]``, ``ys[i]``,
``J``…). Each kind of name is defined here, in `autograd.text.GLOSSARY`, so that `explain`'s
text ends with the names it used and the playground explains each name where it appears. A
new loss that names new nodes defines them here too (a test checks every name a loss's graph
uses is defined).
"""

from __future__ import annotations

from autograd.text import define

_INDEX = r"\[\d+\]"
_UNIT = r"\d+\[\d+\]"

for name, pattern, meaning in (
    ("J", r"J", "the loss J(θ) on the training dots: the mean of their L[i] (plus R with L2); "
     "training takes a small step down its gradient ∇J"),
    ("J_data", "J_data", "the mean of the dots' L[i]: J without the L2 penalty R (J = J_data + R)"),
    ("L[i]", "L" + _INDEX, "dot i's loss: how wrong the network is on that one dot"),
    ("m[i]", "m" + _INDEX, "hinge's margin for dot i, m[i] = 1 − ys[i]: L[i] = relu(m[i]) is 0 once "
     "the dot is on its side by at least 1"),
    ("ys[i]", "ys" + _INDEX, "dot i's label times its score, y[i]·s[i]: positive when the score has "
     "the label's sign (hinge reads the label as ±1)"),
    ("e[i]", "e" + _INDEX, "the error for dot i, e[i] = s[i] − y[i]; L[i] = e[i]² (mse, squared_error)"),
    ("sp[i]", "sp" + _INDEX, "softplus of dot i's score, ln(1 + e^s[i]); cross-entropy L[i] = sp[i] − ys[i]"),
    ("t[i]", "t" + _INDEX, "dot i's label as its loss reads it (hinge: ±1)"),
    ("lse[i]", "lse" + _INDEX, "the log-sum-exp of dot i's K scores, ln Σ_k e^z[i,k]; cross-entropy "
     "L[i] = lse[i] − z[i,y]. Its edge from score k carries p[i,k], the softmax's probability of "
     "class k, so ∂L[i]/∂z[i,k] = p[i,k] − [k = y]"),
    ("p[i,k]", r"p\[\d+,\d+\]", "the softmax's probability that dot i is of class k, e^z[i,k] / Σ_j "
     "e^z[i,j] = e^(z[i,k] − lse[i]): the local partial ∂lse[i]/∂z[i,k] on the edge from z[i,k]"),
    ("z[i,k]", r"z\[\d+,\d+\]", "dot i's score for class k: the network's k-th output on that dot"),
    ("zy[i]", "zy" + _INDEX, "the score of dot i's own class, z[i,y] = Σ_k t[i,k]·z[i,k]"),
    ("t[i,k]", r"t\[\d+,\d+\]", "dot i's label one-hot: 1 if its class is k, else 0 (a replay "
     "computes it from the label as relu(1 − |y[i] − k|), so every batch's labels are read)"),
    ("y[i]", "y" + _INDEX, "dot i's label, a given number: it has no gradient"),
    ("s[i]", "s" + _INDEX, "dot i's score: the network's output on that dot"),
    ("x1[i], x2[i]", r"x\d+" + _INDEX, "dot i's coordinates, the network's inputs"),
    ("a1[j]", "a" + _UNIT, "the pre-activation of unit j of layer 1: a = W1[j,:]·x + b1[j], "
     "the unit's row of W x + b"),
    ("h1[j]", "h" + _UNIT, "the activation (output) of unit j of layer 1: h = f(a); the last "
     "layer's is the score"),
    ("W1[j,k]", r"W\d+\[\d+,\d+\]", "the weight from input k to unit j of layer 1 (a parameter θ)"),
    ("b1[j]", "b" + _UNIT, "the bias of unit j of layer 1 (a parameter θ)"),
    ("R", "R", "the L2 penalty, its strength times Σθ²"),
):
    define(name, pattern, meaning)
