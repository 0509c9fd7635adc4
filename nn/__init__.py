"""chaingrad's neural networks: Neuron, Layer, MLP, losses, optimizers, datasets, training, saving."""

from . import datasets, glossary, losses, optim
from .datasets import train_test_split
from .draw import draw_network
from .io import dumps, load, loads, save
from .losses import LOSSES, Loss, binary_cross_entropy, cross_entropy, hinge, l2, mse, squared_error
from .module import MLP, Layer, Module, Neuron, dot_inputs
from .optim import OPTIMIZERS, SGD, Adam, make_optimizer
from .train import History, Trainer, TrainingDiverged, accuracy, fit, rmse

__all__ = [
    "Module", "Neuron", "Layer", "MLP", "dot_inputs",
    "mse", "hinge", "binary_cross_entropy", "cross_entropy", "squared_error", "l2", "LOSSES", "Loss",
    "SGD", "Adam", "OPTIMIZERS", "make_optimizer",
    "fit", "Trainer", "History", "accuracy", "rmse", "TrainingDiverged",
    "save", "load", "dumps", "loads", "draw_network",
    "datasets", "glossary", "losses", "optim", "train_test_split",
]
