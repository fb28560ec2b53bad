"""Commands of the `convergence` CLI, one module a capability, each with ``register(cli)``."""
