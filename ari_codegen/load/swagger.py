"""Load layer: one Swagger 1.x document (JSON) → raw, validated, unresolved structures.

Checks that every piece has the JSON shape Swagger 1.x gives it, and records where each
piece came from so that later errors can point at it.  Nothing here resolves types or
inheritance (the graph's job) or touches a file or the network (:mod:`sources`,
:mod:`remote`).  A resource listing's shape (its ``apis[].path``) is read here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..errors import Loc, Problems, SpecError, shown
from .apis import RawDeclaration, read_declaration
from .jsondoc import Scalar, find_duplicate_keys, json_kind
from .options import MAX_TYPE_DEPTH, LoadOptions


def _too_deep() -> str:
    return f"type nested deeper than {MAX_TYPE_DEPTH} levels (List of List of ...)"


SWAGGER_VERSIONS = ("1.0", "1.1", "1.2", "1.3")


@dataclass(frozen=True)
class RawType:
    """A property's (or ``items``') type as written: one of ``type`` / ``$ref``."""

    loc: Loc
    type: str | None = None
    ref: str | None = None
    format: str | None = None
    items: RawType | None = None
    enum: tuple[Scalar, ...] | None = None


@dataclass(frozen=True)
class RawProperty:
    name: str
    loc: Loc
    type: RawType
    required: bool | None
    description: str | None


@dataclass(frozen=True)
class RawModel:
    id: str
    loc: Loc
    description: str | None
    properties: tuple[RawProperty, ...]
    required: tuple[str, ...] | None
    extends: str | None
    sub_types: tuple[str, ...] | None
    discriminator: str | None


@dataclass(frozen=True)
class Document:
    file: str
    swagger_version: str
    api_version: str | None
    models: tuple[RawModel, ...]
    # its operations (``apis``), when the load options ask for them (the client does)
    declaration: RawDeclaration | None = None


@dataclass(frozen=True)
class Spec:
    """Every API declaration of one spec: one namespace of models."""

    label: str
    api_version: str | None
    documents: tuple[Document, ...]
    warnings: tuple[str, ...] = ()
    # one API declaration given alone: the resource listing of the spec it belongs to
    # (its folder's resources.json), whose other declarations it may need
    listing: str | None = None

    def relabel(self, label: str) -> Spec:
        return replace(self, label=label)


# --- a resource listing -------------------------------------------------------------


def is_listing(data: Any) -> bool:
    """A resource listing names declarations in ``apis`` and declares no models itself."""
    if not isinstance(data, dict) or "models" in data or "resourcePath" in data:
        return False
    apis = data.get("apis")
    return (
        isinstance(apis, list)
        and bool(apis)
        and all(isinstance(a, dict) and "operations" not in a and "path" in a for a in apis)
    )


def listing_paths(data: dict[str, Any], loc: Loc, problems: Problems) -> list[tuple[int, str]]:
    """Each usable ``apis[i].path`` with its index ``i`` (for the JSON path of a problem)."""
    apis = data.get("apis")
    if not isinstance(apis, list):
        found = json_kind(apis) if "apis" in data else "no 'apis'"
        problems.add(loc.child("apis"), f"expected a list of APIs, found {found}")
        return []
    paths: list[tuple[int, str]] = []
    for i, api in enumerate(apis):
        p = api.get("path") if isinstance(api, dict) else None
        if not isinstance(p, str):
            problems.add(loc.child("apis", i, "path"), "expected the API declaration's path")
        else:
            paths.append((i, p))
    return paths


def listed_relative_path(api_path: str) -> str:
    """``/api-docs/events.{format}`` → ``api-docs/events.json``."""
    return api_path.replace("{format}", "json").lstrip("/")


# --- one API declaration -------------------------------------------------------------


def spec_from_documents(
    docs: Sequence[tuple[str, Any]], label: str, api_version: str | None, options: LoadOptions
) -> Spec:
    """Build a spec from already-parsed JSON documents (used for remote specs)."""
    problems = Problems()
    documents = [read_document(data, name, problems, options) for name, data in docs]
    problems.raise_if_any()
    return Spec(label=label, api_version=api_version, documents=tuple(documents))


def read_document(data: Any, file: str, problems: Problems, options: LoadOptions) -> Document:
    loc = Loc(file)
    if not isinstance(data, dict):
        raise SpecError.at(loc, f"expected a JSON object at the top, found {json_kind(data)}")
    if options.duplicate_keys == "error":
        # Only what ari-codegen reads: without the client, the operations are not read.
        skip = frozenset() if options.operations else frozenset({"apis"})
        find_duplicate_keys(data, loc, problems, skip=skip)
    version = _swagger_version(data, loc, problems)
    models_raw = data.get("models", {})
    models: list[RawModel] = []
    if isinstance(models_raw, list) and not models_raw:
        models_raw = {}  # some generators write an empty list for "no models"
    if not isinstance(models_raw, dict):
        problems.add(
            loc.child("models"), f"expected an object of models, found {json_kind(models_raw)}"
        )
        models_raw = {}
    for key, value in models_raw.items():
        model = _read_model(key, value, loc.child("models", key), problems)
        if model is not None:
            models.append(model)
    return Document(
        file=file,
        swagger_version=version,
        api_version=version_text(data.get("apiVersion")),
        models=tuple(models),
        declaration=read_declaration(data, file, problems) if options.operations else None,
    )


def _swagger_version(data: dict[str, Any], loc: Loc, problems: Problems) -> str:
    raw = data.get("swaggerVersion")
    if raw is None:
        if "swagger" in data or "openapi" in data:
            found = data.get("swagger") or data.get("openapi")
            problems.add(
                loc.child("swagger" if "swagger" in data else "openapi"),
                f"this is OpenAPI/Swagger {shown(found)}; ari-codegen reads Swagger 1.x documents",
            )
        else:
            problems.add(loc, "not a Swagger 1.x document: no 'swaggerVersion'")
        return "?"
    version = version_text(raw)
    if version not in SWAGGER_VERSIONS:
        problems.add(
            loc.child("swaggerVersion"),
            f"unsupported swaggerVersion {raw!r} (supported: {', '.join(SWAGGER_VERSIONS)})",
        )
    return version or "?"


def version_text(raw: Any) -> str | None:
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, float)):
        return str(raw)  # CallFire writes "swaggerVersion": 1.1
    return raw if isinstance(raw, str) else None


def _read_model(key: str, value: Any, loc: Loc, problems: Problems) -> RawModel | None:
    if not isinstance(value, dict):
        problems.add(loc, f"expected a model object, found {json_kind(value)}")
        return None
    model_id = value.get("id")
    if model_id is None:
        problems.add(loc, "model has no 'id'")
        return None
    if not isinstance(model_id, str):
        problems.add(loc.child("id"), f"expected a string id, found {json_kind(model_id)}")
        return None
    if model_id != key:
        problems.add(loc.child("id"), f"model id {model_id!r} differs from its key {key!r}")
        return None
    props_raw = value.get("properties", {})
    properties: list[RawProperty] = []
    if not isinstance(props_raw, dict):
        problems.add(loc.child("properties"), f"expected an object, found {json_kind(props_raw)}")
        props_raw = {}
    for name, prop in props_raw.items():
        p = _read_property(name, prop, loc.child("properties", name), problems)
        if p is not None:
            properties.append(p)
    return RawModel(
        id=model_id,
        loc=loc,
        description=_text(value, "description", loc, problems),
        properties=tuple(properties),
        required=_model_required(value, loc, problems),
        extends=_text(value, "extends", loc, problems),
        sub_types=_string_list(value, "subTypes", loc, problems),
        discriminator=_discriminator(value, loc, problems),
    )


def _discriminator(value: dict[str, Any], loc: Loc, problems: Problems) -> str | None:
    name = _text(value, "discriminator", loc, problems)
    if name == "":
        # Read as "no discriminator" further on: refused rather than silently dropped.
        problems.add(loc.child("discriminator"), "expected a property name, found ''")
        return None
    return name


def _model_required(value: dict[str, Any], loc: Loc, problems: Problems) -> tuple[str, ...] | None:
    raw = value.get("required")
    if raw is False:
        return None  # Swagger 1.1 generators wrote "required": false on models
    return _string_list(value, "required", loc, problems)


def _read_property(name: str, value: Any, loc: Loc, problems: Problems) -> RawProperty | None:
    if not isinstance(value, dict):
        problems.add(loc, f"expected a property object, found {json_kind(value)}")
        return None
    required = value.get("required")
    if required is not None and not isinstance(required, bool):
        problems.add(loc.child("required"), f"expected true or false, found {required!r}")
        required = None
    raw_type = _read_type(value, loc, problems)
    if raw_type is None:
        return None
    return RawProperty(
        name=name,
        loc=loc,
        type=raw_type,
        required=required,
        description=_text(value, "description", loc, problems),
    )


def _read_type(
    value: dict[str, Any], loc: Loc, problems: Problems, depth: int = 0
) -> RawType | None:
    type_ = value.get("type")
    ref = value.get("$ref")
    ok = True
    if type_ is not None and not isinstance(type_, str):
        problems.add(loc.child("type"), f"expected a type name, found {json_kind(type_)}")
        ok = False
    if ref is not None and not isinstance(ref, str):
        problems.add(loc.child("$ref"), f"expected a model id, found {json_kind(ref)}")
        ok = False
    if ok and type_ is None and ref is None:
        problems.add(loc, "property has neither 'type' nor '$ref'")
        ok = False
    items: RawType | None = None
    if "items" in value:
        items_raw = value["items"]
        if isinstance(items_raw, dict) and depth >= MAX_TYPE_DEPTH:
            problems.add(loc.child("items"), _too_deep())
            ok = False
        elif isinstance(items_raw, dict):
            items = _read_type(items_raw, loc.child("items"), problems, depth + 1)
        else:
            problems.add(loc.child("items"), f"expected an object, found {json_kind(items_raw)}")
            ok = False
    fmt = value.get("format")
    enum = _enum(value, loc, problems)
    if not ok:
        return None
    return RawType(
        loc=loc,
        type=type_ if ref is None else None,  # "$ref" wins over a decorative "type"
        ref=ref,
        format=fmt if isinstance(fmt, str) else None,
        items=items,
        enum=enum,
    )


def _enum(value: dict[str, Any], loc: Loc, problems: Problems) -> tuple[Scalar, ...] | None:
    raw: Any = None
    where = loc
    if "enum" in value:
        raw, where = value["enum"], loc.child("enum")
    else:
        allowable = value.get("allowableValues")
        if isinstance(allowable, dict) and str(allowable.get("valueType", "")).upper() == "LIST":
            raw, where = allowable.get("values"), loc.child("allowableValues", "values")
        elif allowable is not None and not isinstance(allowable, dict):
            problems.add(
                loc.child("allowableValues"), f"expected an object, found {json_kind(allowable)}"
            )
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(
        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in raw
    ):
        problems.add(where, "expected a list of strings or numbers")
        return None
    return tuple(dict.fromkeys(raw))  # keep order, drop repeats


def _text(value: dict[str, Any], key: str, loc: Loc, problems: Problems) -> str | None:
    raw = value.get(key)
    if raw is None or isinstance(raw, str):
        return raw
    problems.add(loc.child(key), f"expected a string, found {json_kind(raw)}")
    return None


def _string_list(
    value: dict[str, Any], key: str, loc: Loc, problems: Problems
) -> tuple[str, ...] | None:
    raw = value.get(key)
    if raw is None:
        return None
    if not isinstance(raw, list):
        problems.add(loc.child(key), f"expected a list of strings, found {json_kind(raw)}")
        return None
    items: list[str] = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            items.append(item)
        else:
            problems.add(loc.child(key, i), f"expected a string, found {json_kind(item)}")
    return tuple(items)
