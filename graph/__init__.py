"""Convergence Graph: a knowledge graph of quantum, AI and biotech convergence, with sources.

>>> from graph import open_graph
>>> kg = open_graph()
>>> kg.run_named("counts-by-class").to_dataframe().shape[1]
2
"""

from .errors import ConvergenceError
from .kg import Graph, open_graph
from .results import Result
from .store import OxigraphStore, Store

__all__ = ["open_graph", "Graph", "Result", "Store", "OxigraphStore", "ConvergenceError"]
__version__ = "0.1.0"
