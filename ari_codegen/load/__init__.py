"""Load layer: Swagger 1.x specs (files, folders, listings, URLs) → validated raw structures."""

from .options import LoadOptions, RemoteAuth
from .sources import load_spec
from .swagger import Document, RawModel, RawProperty, RawType, Scalar, Spec

__all__ = [
    "Document",
    "LoadOptions",
    "RawModel",
    "RawProperty",
    "RawType",
    "RemoteAuth",
    "Scalar",
    "Spec",
    "load_spec",
]
