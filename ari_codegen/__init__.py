"""ari-codegen: typed Python models for the Asterisk REST Interface (ARI).

Pipeline: :mod:`.load` (Swagger 1.x JSON → validated raw spec) → :mod:`.graph`
(immutable type graph, all names and types resolved) → :mod:`.render` (Jinja2
templates + black, in memory) → :mod:`.write` (atomic writes, ``--check`` diffs).
See ARCHITECTURE.md.
"""

__version__ = "0.1.0"
