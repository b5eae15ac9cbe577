"""ari-codegen: typed Python models for the Asterisk REST Interface (ARI).

Pipeline: :mod:`loader` (Swagger 1.x JSON → validated raw spec) → :mod:`graph`
(immutable type graph, all names and types resolved) → :mod:`render` (Jinja2
templates + black, in memory) → :mod:`writer` (atomic writes, ``--check`` diffs).
"""

__version__ = "0.1.0"
