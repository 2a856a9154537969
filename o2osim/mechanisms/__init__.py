"""Mechanisms: one rule family per module, vectorized over the consumer population.

Each function's docstring says in words what one consumer (or firm) does; the equations are in
``docs/model.md``.
"""
