"""``python -m graph`` runs the ``convergence`` command."""

from .cli import main

main()
