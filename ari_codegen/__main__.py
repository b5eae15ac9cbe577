"""Command layer: ``python -m ari_codegen``."""

from .cli import main

main()
