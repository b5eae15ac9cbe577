"""Load layer: Swagger 1.x specs (files, folders, listings, URLs) → validated raw structures."""

from .jsondoc import Scalar
from .options import LoadOptions, RemoteAuth
from .sources import load_spec
from .swagger import Document, RawModel, RawProperty, RawType, Spec

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
