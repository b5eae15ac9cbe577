"""What each style gives its users: types, inheritance, tags, unions, keys, exports.

Types are read back from the generated code (``typing.get_type_hints``), never by
matching text; narrowing is proven by running mypy --strict on small user programs.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import textwrap
import typing
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pytest
from support.packages import Packages
from support.paths import ari_spec
from support.specs import declaration, model, write_files
from support.tools import assert_mypy_clean, run_mypy

from ari_codegen.graph import build_graph
from ari_codegen.load import load_spec
from ari_codegen.styles import STYLE_NAMES as STYLES

ARI = "22.0.0"
ARI_BASE = "ari_22_0_0"  # the package name test_corpus uses for this spec too


def ari_package(packages: Packages, style: str) -> Path:
    return packages.get(ari_spec(ARI), style, ARI_BASE)


def ari_module(packages: Packages, style: str) -> Any:
    return packages.module(ari_spec(ARI), style, ARI_BASE)


def field_hints(cls: type) -> dict[str, Any]:
    """The dataclass fields' resolved annotations (ClassVars left out)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


# --- type mapping ---------------------------------------------------------------------

KINDS_SPEC = declaration(
    {
        "Kinds": model(
            "Kinds",
            {
                "s": {"type": "string", "required": True},
                "i": {"type": "int", "required": True},
                "l": {"type": "long", "required": True},
                "n": {"type": "integer", "format": "int64", "required": True},
                "d": {"type": "double", "required": True},
                "f": {"type": "float", "required": True},
                "num": {"type": "number", "required": True},
                "b": {"type": "boolean", "required": True},
                "date": {"type": "Date", "required": True},
                "date_time": {"type": "string", "format": "date-time", "required": True},
                "obj": {"type": "object", "required": True},
                "strings": {"type": "List[string]", "required": True},
                "dates": {"type": "List[Date]", "required": True},
                "things": {"type": "List[Thing]", "required": True},
                "items": {"type": "array", "items": {"$ref": "Thing"}, "required": True},
                "ref": {"$ref": "Thing", "required": True},
                "named": {"type": "Thing", "required": True},
                "state": {
                    "type": "string",
                    "required": True,
                    "allowableValues": {
                        "valueType": "LIST",
                        "values": ["Down", "Dialing Offhook", "Pre-ring"],
                    },
                },
                "enum": {"type": "string", "enum": ["a b", "C"], "required": True},
                "level": {"type": "integer", "enum": [1, 2], "required": True},
                "optional": {"type": "string"},
                "optional_ref": {"$ref": "Thing", "required": False},
            },
        ),
        "Thing": model("Thing", {"name": {"type": "string"}}),
    }
)


@pytest.fixture(scope="module")
def kinds_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("kinds"), {"kinds.json": KINDS_SPEC}) / "kinds.json"


def test_dataclass_annotations_map_every_swagger_type(packages: Packages, kinds_spec: Path) -> None:
    pkg = packages.module(kinds_spec, "dataclasses", "kinds")
    thing = pkg.Thing
    assert field_hints(pkg.Kinds) == {
        "s": str,
        "i": int,
        "l": int,
        "n": int,
        "d": float,
        "f": float,
        "num": float,
        "b": bool,
        "date": datetime,
        "date_time": datetime,
        "obj": dict[str, Any],
        "strings": list[str],
        "dates": list[datetime],
        "things": list[thing],
        "items": list[thing],
        "ref": thing,
        "named": thing,
        "state": Literal["Down", "Dialing Offhook", "Pre-ring"],
        "enum": Literal["a b", "C"],
        "level": Literal[1, 2],
        "optional": str | None,
        "optional_ref": thing | None,
    }
    # Literal values exactly as written, in their order
    assert typing.get_args(field_hints(pkg.Kinds)["state"]) == (
        "Down",
        "Dialing Offhook",
        "Pre-ring",
    )


def test_typeddict_annotations_are_the_json_types(packages: Packages, kinds_spec: Path) -> None:
    pkg = packages.module(kinds_spec, "typeddict", "kinds")
    hints = typing.get_type_hints(pkg.Kinds)
    assert hints["date"] is str and hints["date_time"] is str  # dates are strings in JSON
    assert hints["dates"] == list[str]
    assert hints["things"] == list[pkg.Thing] and hints["ref"] is pkg.Thing
    assert hints["obj"] == dict[str, Any]
    assert hints["state"] == Literal["Down", "Dialing Offhook", "Pre-ring"]
    assert hints["level"] == Literal[1, 2]
    assert hints["optional"] is str  # optional is a matter of keys, not of None
    assert pkg.Kinds.__optional_keys__ == frozenset({"optional", "optional_ref"})


def test_ari_literals_keep_the_values_as_written(packages: Packages) -> None:
    pkg = ari_module(packages, "dataclasses")
    raw = json.loads((ari_spec(ARI) / "api-docs" / "channels.json").read_text(encoding="utf-8"))
    values = tuple(raw["models"]["Channel"]["properties"]["state"]["allowableValues"]["values"])
    assert "Dialing Offhook" in values and "Pre-ring" in values
    assert typing.get_args(field_hints(pkg.Channel)["state"]) == values


# --- dataclasses --------------------------------------------------------------------------


def test_dataclass_inheritance_and_kw_only(packages: Packages) -> None:
    pkg = ari_module(packages, "dataclasses")
    assert pkg.StasisStart.__bases__ == (pkg.Event,)
    assert pkg.Event.__bases__ == (pkg.Message,)
    assert issubclass(pkg.StasisStart, pkg.Message)
    # the inherited optional field precedes required ones: only kw_only makes this legal
    fields = {f.name: f for f in dataclasses.fields(pkg.StasisStart)}
    names = list(fields)
    assert names.index("asterisk_id") < names.index("args")
    assert fields["asterisk_id"].default is None
    assert fields["args"].default is dataclasses.MISSING
    assert all(f.kw_only for f in fields.values())
    channel = pkg.Channel.from_dict(CHANNEL)
    start = pkg.StasisStart(
        application="app",
        timestamp=datetime.fromisoformat("2024-01-02T03:04:05+00:00"),
        args=["a"],
        channel=channel,
    )
    assert start.asterisk_id is None and start.type == "StasisStart"
    with pytest.raises(TypeError):
        pkg.StasisStart("app", None, ["a"], channel)


def test_dataclass_leaves_carry_their_tag(packages: Packages) -> None:
    pkg = ari_module(packages, "dataclasses")
    assert field_hints(pkg.StasisStart)["type"] == Literal["StasisStart"]
    assert field_hints(pkg.Event)["type"] is str
    assert field_hints(pkg.Message)["type"] is str
    graph = build_graph(load_spec(ari_spec(ARI)))
    for m in graph.models:
        cls = pkg.MODELS[m.id]
        if m.discriminator and m.is_leaf:
            assert field_hints(cls)["type"] == Literal[m.id]
            assert {f.name: f for f in dataclasses.fields(cls)}["type"].default == m.id


def test_dataclass_union_aliases(packages: Packages) -> None:
    pkg = ari_module(packages, "dataclasses")
    classes = list(pkg.MODELS.values())

    def leaves_under(base: type) -> set[type]:
        return {
            c
            for c in classes
            if issubclass(c, base) and not any(o is not c and issubclass(o, c) for o in classes)
        }

    assert set(typing.get_args(pkg.AnyEvent)) == leaves_under(pkg.Event)
    assert set(typing.get_args(pkg.AnyMessage)) == leaves_under(pkg.Message)
    assert pkg.StasisStart in typing.get_args(pkg.AnyEvent)
    assert pkg.MissingParams in typing.get_args(pkg.AnyMessage)
    assert pkg.MissingParams not in typing.get_args(pkg.AnyEvent)
    # decoding dispatches on the tag
    event = pkg.Message.from_dict(
        {
            "type": "StasisStart",
            "application": "app",
            "timestamp": "2026-11-26T05:48:34.307+0000",
            "args": [],
            "channel": CHANNEL,
        }
    )
    assert type(event) is pkg.StasisStart


CHANNEL = {
    "id": "1700000000.1",
    "name": "PJSIP/alice-00000001",
    "state": "Up",
    "caller": {"name": "Alice", "number": "100"},
    "connected": {"name": "", "number": ""},
    "accountcode": "",
    "dialplan": {
        "context": "default",
        "exten": "100",
        "priority": 1,
        "app_name": "Stasis",
        "app_data": "app",
    },
    "creationtime": "2026-11-26T05:48:34.307+0000",
    "language": "en",
    "protocol_id": "",
}

DATACLASS_USER = """
from {pkg} import AnyEvent, AnyMessage, MissingParams, StasisEnd, StasisStart


def describe(msg: AnyMessage) -> str:
    match msg:
        case StasisStart(args=args, channel=channel):
            return channel.name + " ".join(args)
        case StasisEnd(channel=channel):
            return channel.id
        case MissingParams(params=params):
            return ",".join(params)
        case _:
            return msg.type


def started(event: AnyEvent) -> list[str]:
    if isinstance(event, StasisStart):
        start: StasisStart = event
        return start.args
    return [event.application]

"""

DATACLASS_USER_WRONG = """
from {pkg} import AnyEvent, AnyMessage, StasisStart


def started(event: AnyEvent) -> StasisStart:
    return event  # WRONG: return-value


def args(msg: AnyMessage) -> list[str]:
    return msg.args  # WRONG: union-attr
"""

TYPEDDICT_USER = """
import json

from {pkg} import AnyEvent, AnyMessage, ChannelDestroyed, StasisStart


def handle(text: str) -> str:
    msg: AnyMessage = json.loads(text)
    if msg["type"] == "StasisStart":
        start: StasisStart = msg
        return start["channel"]["name"] + " ".join(start["args"])
    if msg["type"] == "ChannelDestroyed":
        gone: ChannelDestroyed = msg
        return gone["cause_txt"]
    return msg["type"]


def app(event: AnyEvent) -> str:
    return event["application"]
"""

TYPEDDICT_USER_WRONG = """
import json

from {pkg} import AnyMessage, StasisStart


def handle(text: str) -> StasisStart:
    msg: AnyMessage = json.loads(text)
    if msg["type"] == "StasisEnd":
        return msg  # WRONG: return-value
    return msg  # WRONG: return-value
"""


def _program(folder: Path, name: str, template: str, pkg: str) -> str:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(template).format(pkg=pkg), encoding="utf-8")
    return path.name


def _expected_errors(folder: Path, file: str) -> dict[int, set[str]]:
    """Lines marked ``# WRONG: <code>`` in a program."""
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    return {
        n: {line.split("# WRONG: ")[1].strip()}
        for n, line in enumerate(lines, start=1)
        if "# WRONG: " in line
    }


def _errors(output: str, file: str) -> dict[int, set[str]]:
    """mypy's errors in ``file``: line → error codes."""
    found: dict[int, set[str]] = {}
    for line in output.splitlines():
        if line.startswith(f"{file}:") and ": error:" in line:
            number = int(line.split(":")[1])
            found.setdefault(number, set()).add(line.rsplit("[", 1)[1].rstrip("]"))
    return found


@pytest.mark.parametrize("version", ["3.10", "3.13"])
def test_user_programs_narrow_under_mypy(packages: Packages, tmp_path: Path, version: str) -> None:
    dc = ari_package(packages, "dataclasses")
    td = ari_package(packages, "typeddict")
    progs = tmp_path / "programs"
    progs.mkdir()
    good = [
        _program(progs, "uses_dataclasses", DATACLASS_USER, dc.name),
        _program(progs, "uses_typeddicts", TYPEDDICT_USER, td.name),
    ]
    wrong_dc = _program(progs, "wrong_dataclasses", DATACLASS_USER_WRONG, dc.name)
    wrong_td = _program(progs, "wrong_typeddicts", TYPEDDICT_USER_WRONG, td.name)
    search = [dc.parent, td.parent]
    result = run_mypy(progs, good, version, mypy_path=search, scratch=tmp_path / "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
    # the same code without the narrowing is rejected: the checks above are what narrows
    result = run_mypy(
        progs, [wrong_dc, wrong_td], version, mypy_path=search, scratch=tmp_path / "mypy"
    )
    assert result.returncode == 1
    for wrong in (wrong_dc, wrong_td):
        assert _errors(result.stdout, wrong) == _expected_errors(progs, wrong), result.stdout


# --- TypedDicts -------------------------------------------------------------------------


def spec_keys(folder: Path) -> dict[str, tuple[set[str], set[str]]]:
    """(required, optional) keys of every model, inherited included, read from raw JSON."""
    models: dict[str, dict[str, Any]] = {}
    for path in sorted((folder / "api-docs").glob("*.json")):
        models.update(json.loads(path.read_text(encoding="utf-8")).get("models", {}))
    parent = {sub: mid for mid, m in models.items() for sub in m.get("subTypes", ())}
    parent.update({mid: m["extends"] for mid, m in models.items() if "extends" in m})

    def own(mid: str) -> tuple[set[str], set[str]]:
        m = models[mid]
        listed = set(m.get("required") or ())
        req = {k for k, p in m["properties"].items() if p.get("required") is True or k in listed}
        return req, set(m["properties"]) - req

    out: dict[str, tuple[set[str], set[str]]] = {}
    for mid in models:
        req: set[str] = set()
        opt: set[str] = set()
        chain = [mid]
        while chain[-1] in parent:
            chain.append(parent[chain[-1]])
        for ancestor in chain:
            r, o = own(ancestor)
            req |= r
            opt |= o
        out[mid] = (req, opt - req)
    return out


def test_typeddict_keys_are_exactly_the_specs(packages: Packages) -> None:
    pkg = ari_module(packages, "typeddict")
    expected = spec_keys(ari_spec(ARI))
    assert set(pkg.MODELS) == set(expected)
    for mid, (required, optional) in expected.items():
        td = pkg.MODELS[mid]
        assert td.__required_keys__ == frozenset(required), mid
        assert td.__optional_keys__ == frozenset(optional), mid
    assert "asterisk_id" in pkg.StasisStart.__optional_keys__  # inherited from Message
    assert {"type", "application", "timestamp"} <= pkg.StasisStart.__required_keys__


def test_typeddict_keeps_wire_names_that_are_not_identifiers(packages: Packages) -> None:
    pkg = ari_module(packages, "typeddict")
    assert {"from", "to", "body"} <= pkg.TextMessage.__required_keys__
    assert "from" in typing.get_type_hints(pkg.TextMessage)


def test_typeddict_leaf_tags_are_literals(packages: Packages) -> None:
    pkg = ari_module(packages, "typeddict")
    assert typing.get_type_hints(pkg.StasisStart)["type"] == Literal["StasisStart"]
    assert typing.get_type_hints(pkg.Event)["type"] is str
    assert set(typing.get_args(pkg.AnyEvent)) >= {pkg.StasisStart, pkg.ChannelDestroyed}


# --- every style ----------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_package_layout_exports_and_docstrings(packages: Packages, style: str) -> None:
    folder = ari_package(packages, style)
    suffix = ".pyi" if style == "stubs" else ".py"
    assert (folder / "py.typed").is_file()
    init = ast.parse((folder / f"__init__{suffix}").read_text(encoding="utf-8"))
    models = ast.parse((folder / f"models{suffix}").read_text(encoding="utf-8"))
    graph = build_graph(load_spec(ari_spec(ARI)))
    exported = set()
    imported = set()
    for node in init.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "__all__":
            exported = set(ast.literal_eval(node.value))
        if isinstance(node, ast.ImportFrom) and node.module == "models" and node.level == 1:
            imported |= {a.name for a in node.names}
    wanted = {m.py_name for m in graph.models} | {u.py_name for u in graph.unions} | {"MODELS"}
    assert wanted <= exported and wanted <= imported
    classes = {n.name: n for n in models.body if isinstance(n, ast.ClassDef)}
    for m in graph.models:
        if m.description:
            doc = ast.get_docstring(classes[m.py_name]) or ""
            assert " ".join(doc.split()) == " ".join(m.description.split()), m.id
    # a field's description is the docstring under it (in TypedDicts, maybe in the
    # helper class that holds the required keys)
    docs = {
        stmt.target.id: nxt.value.value
        for name, cls in classes.items()
        if name.strip("_").startswith("StasisStart")
        for stmt, nxt in zip(cls.body, cls.body[1:], strict=False)
        if isinstance(stmt, ast.AnnAssign)
        and isinstance(stmt.target, ast.Name)
        and isinstance(nxt, ast.Expr)
        and isinstance(nxt.value, ast.Constant)
    }
    assert docs["args"] == "Arguments to the application"


@pytest.mark.parametrize("style", ["dataclasses", "typeddict"])
def test_runtime_packages_export_every_model_under_its_id(packages: Packages, style: str) -> None:
    pkg = ari_module(packages, style)
    graph = build_graph(load_spec(ari_spec(ARI)))
    assert set(pkg.MODELS) == {m.id for m in graph.models}
    for m in graph.models:
        assert pkg.MODELS[m.id] is getattr(pkg, m.py_name)
        assert m.py_name in pkg.__all__
        if style == "dataclasses" and m.description:
            assert " ".join((pkg.MODELS[m.id].__doc__ or "").split()) == " ".join(
                m.description.split()
            )


def test_kinds_packages_type_check(packages: Packages, kinds_spec: Path, tmp_path: Path) -> None:
    for style in STYLES:
        folder = packages.get(kinds_spec, style, "kinds")
        assert_mypy_clean(folder.parent, [folder.name], scratch=tmp_path / style)


def test_every_runtime_file_carries_the_generated_header() -> None:
    """The writer only replaces files that start with the header: so must every runtime file
    a style copies, or regenerating would refuse (or leave stale) the package's own runtime."""
    from ari_codegen import resources
    from ari_codegen.styles import HEADER_PREFIX, STYLES

    for style in STYLES.values():
        for _, source in (*style.runtime, *style.client_runtime):
            assert resources.runtime_file(source).startswith(HEADER_PREFIX), (style.name, source)
