"""Naming rules of the typed client: resources, methods and parameters.

(To be merged into :mod:`ari_codegen.naming`.)  The public names are fixed so that users
can guess them from the spec: ``client.<resource>.<method>(<parameter>=...)``, each the
spec's name in :func:`snake_case`, keywords with a trailing ``_`` (``from`` → ``from_``).

Spec names are untrusted text: every function here returns a valid ASCII identifier
whatever it is given (non-ASCII, digits first, empty), and a name that would clash
with something of the generated code or with another name of the same scope gets
trailing ``_`` until it is free.  Clashes are resolved in sorted order of the spec
names, so the outcome does not depend on the order of the operations in a file.

Generated code never uses a local or attribute name that a function here can return:
every name returned here starts with a letter, so locals of generated methods must
start with ``_`` (``_query``, ``_body``); the few public names a generated class or
method body does use are reserved below.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

# Attributes of the generated ``Client`` / ``AsyncClient``: a resource may not take them.
CLIENT_ATTRIBUTE_NAMES = frozenset(
    {"close", "aclose", "base_url", "timeout", "transport", "connector", "closed"}
)
# Public attributes of a generated resource class (``ChannelsApi``): methods may not take them.
RESOURCE_ATTRIBUTE_NAMES = frozenset({"close", "aclose", "client", "transport", "connector"})
# Names a generated method body refers to (builtins, the method's own ``self``): a
# parameter so named would shadow them.
METHOD_BODY_NAMES = frozenset(
    {"self", "str", "int", "float", "bool", "bytes", "list", "dict", "tuple", "isinstance", "len"}
)
# The extra keyword arguments of the event-stream (WebSocket) method.
EVENT_STREAM_KEYWORDS = frozenset({"reconnect", "strict", "on_decode_error", "on_reconnect"})

_BOUNDARY_AFTER_LOWER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_BOUNDARY_IN_CAPS = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_INVALID = re.compile(r"[^0-9A-Za-z_]+")
_UNDERSCORES = re.compile(r"__+")


def snake_case(name: str) -> str:
    """``deviceStates`` → ``device_states``, ``sendDTMF`` → ``send_dtmf``.

    The rule of the client contract, applied literally: insert ``_`` before an
    uppercase letter that follows a lowercase letter or a digit, and before the last
    capital of a run that is followed by a lowercase letter; then lowercase.  So
    ``getIDs`` → ``get_i_ds`` and ``RTPstat`` → ``rt_pstat``.  Only ASCII letters count
    as upper/lower case; the result is not made an identifier here (see
    :func:`identifier`).
    """
    text = _BOUNDARY_AFTER_LOWER.sub("_", name)
    text = _BOUNDARY_IN_CAPS.sub("_", text)
    return text.lower()


def identifier(name: str, fallback: str) -> str:
    """``snake_case(name)`` as a public ASCII identifier (no leading ``_``).

    Any run of other characters becomes one ``_``; leading and trailing ``_`` go; a
    leading digit gets ``fallback + "_"`` in front; nothing usable gives ``fallback``;
    a keyword gets a trailing ``_``.
    """
    text = _INVALID.sub("_", snake_case(name))
    text = _UNDERSCORES.sub("_", text).strip("_")
    if not text:
        text = fallback
    elif text[0].isdigit():
        text = f"{fallback}_{text}"
    if keyword.iskeyword(text):  # soft keywords (`type`, `match`) are valid names
        text += "_"
    return text


def _free(name: str, taken: Iterable[str] | set[str], reserved: frozenset[str]) -> str:
    taken = taken if isinstance(taken, set) else set(taken)
    while name in taken or name in reserved or keyword.iskeyword(name):
        name += "_"
    return name


def resource_py_name(name: str) -> str:
    """The client attribute for a resource: ``deviceStates`` → ``device_states``."""
    return _free(identifier(name, "resource"), (), CLIENT_ATTRIBUTE_NAMES)


def resource_class_name(name: str) -> str:
    """The class for a resource: ``deviceStates`` → ``DeviceStatesApi``."""
    words = identifier(name, "resource").rstrip("_").split("_")
    return "".join(w[:1].upper() + w[1:] for w in words if w) + "Api"


def resource_names(
    names: Iterable[str], taken_classes: Iterable[str] = ()
) -> dict[str, tuple[str, str]]:
    """Each resource name → (attribute, class name), unique across the client.

    ``taken_classes``: names the client module already uses (the model classes it
    imports), which a resource class may not take.
    """
    out: dict[str, tuple[str, str]] = {}
    attributes: set[str] = set()
    classes: set[str] = set(taken_classes)
    for name in sorted(set(names)):
        attribute = _free(resource_py_name(name), attributes, CLIENT_ATTRIBUTE_NAMES)
        cls = _free(resource_class_name(name), classes, frozenset())
        attributes.add(attribute)
        classes.add(cls)
        out[name] = (attribute, cls)
    return out


def method_names(nicknames: Iterable[str]) -> dict[str, str]:
    """Each operation nickname of one resource → its method name, unique in the class.

    ``originateWithId`` → ``originate_with_id``; ``close`` → ``close_`` (the class's
    own attribute); ``sendDTMF`` and ``send_dtmf`` in one resource: the one already
    spelled so keeps it, the other becomes ``send_dtmf_``.
    """
    return _assign(nicknames, "operation", RESOURCE_ATTRIBUTE_NAMES)


def parameter_names(wire_names: Iterable[str], *, event_stream: bool = False) -> dict[str, str]:
    """Each parameter of one operation → its keyword argument name, unique in the method.

    ``channelId`` → ``channel_id``, ``from`` → ``from_``; the names a method body uses
    (``self``, ``str``...) and, for the event-stream method, its own keywords
    (``reconnect``, ``strict``...) get a trailing ``_``.
    """
    reserved = METHOD_BODY_NAMES | (EVENT_STREAM_KEYWORDS if event_stream else frozenset())
    return _assign(wire_names, "param", reserved)


def _assign(names: Iterable[str], fallback: str, reserved: frozenset[str]) -> dict[str, str]:
    wanted = {name: identifier(name, fallback) for name in dict.fromkeys(names)}
    # A name already spelled as its identifier goes first, then by the spec name: the
    # outcome does not depend on the spec's order.
    order = sorted(wanted, key=lambda n: (wanted[n] != n, n))
    taken: set[str] = set()
    out: dict[str, str] = {}
    for name in order:
        chosen = _free(wanted[name], taken, reserved)
        taken.add(chosen)
        out[name] = chosen
    return {name: out[name] for name in wanted}

