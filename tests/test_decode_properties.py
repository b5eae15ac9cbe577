"""Property-based round trips of the dataclasses style (hypothesis, seeded and bounded).

Instances of every generated class are built from the classes' own type hints (random
strings, numbers, dates with any offset, nested models, subclasses wherever a
discriminated base is expected, values outside a ``Literal``, arbitrary JSON in
``object`` fields), then encoded and decoded again:

- ``from_dict(x.to_dict()) == x`` and ``from_json(x.to_json()) == x``, with the class kept,
  through the class itself and through the root of its hierarchy (dispatch);
- unknown members added to the JSON come back in ``to_dict`` and in ``extra_fields``.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.packages import Packages
from support.paths import ari_spec
from test_decode import dispatch_models

SETTINGS = settings(
    max_examples=150,
    derandomize=True,  # the same examples on every run: CI stays reproducible and bounded
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)

ZONES = st.just(timezone.utc) | st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
# Asterisk writes milliseconds: a date with more precision is written rounded down.
DATES = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=ZONES
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000, fold=0))


class Builder:
    """Strategies for the classes of one generated module, from their type hints."""

    def __init__(self, pkg: Any) -> None:
        self.pkg = pkg
        self.models = pkg.models

    def is_model(self, hint: Any) -> bool:
        return isinstance(hint, type) and issubclass(hint, self.models._Model)

    def for_hint(self, hint: Any) -> st.SearchStrategy[Any]:
        origin = typing.get_origin(hint)
        if hint is str:
            return st.text(max_size=12)
        if hint is bool:
            return st.booleans()
        if hint is int:
            return st.integers()
        if hint is float:
            return st.floats(allow_nan=False, allow_infinity=False) | st.integers()
        if hint is datetime:
            return DATES
        if hint is Any:
            return JSON_VALUES
        if origin is Literal:
            values = typing.get_args(hint)
            other = st.text(max_size=12) if isinstance(values[0], str) else st.integers()
            return st.sampled_from(values) | other  # a value outside the set is kept too
        if origin is list:
            return st.lists(self.for_hint(typing.get_args(hint)[0]), max_size=3)
        if origin is dict:
            return st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=3)
        if origin in (typing.Union, types.UnionType):
            return st.one_of([self.for_hint(a) for a in typing.get_args(hint)])
        if self.is_model(hint):
            return self.any_of(hint)
        raise AssertionError(f"no strategy for {hint!r}")

    def any_of(self, cls: type) -> st.SearchStrategy[Any]:
        """``cls`` or, for a discriminated base, any class under it."""
        below = list(cls._ari_dispatch.values()) if cls._ari_tag_key else [cls]
        return st.one_of([self.instances(c) for c in sorted(below, key=lambda c: c.__name__)])

    @cache  # noqa: B019  (one Builder per generated module, kept for the session)
    def instances(self, cls: type) -> st.SearchStrategy[Any]:
        return st.deferred(lambda: self._instances(cls))

    def _instances(self, cls: type) -> st.SearchStrategy[Any]:
        hints = typing.get_type_hints(cls)
        tags: dict[str, type] = cls._ari_tags
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        for f in dataclasses.fields(cls):
            hint = hints[f.name]
            if f.default is dataclasses.MISSING:
                required[f.name] = self.for_hint(hint)
            elif f.default is None:
                inner = [a for a in typing.get_args(hint) if a is not type(None)]
                optional[f.name] = st.one_of([self.for_hint(a) for a in inner])
            # else: a leaf's tag, its default is its own type
        if cls._ari_tag_key and not cls._ari_leaf:
            # A base built as itself carries a type no class claims (a newer Asterisk's).
            required[cls._ari_tag_key] = st.text(max_size=12).filter(lambda t: t not in tags)
        return st.fixed_dictionaries(required, optional=optional).map(lambda kw: cls(**kw))


@pytest.fixture(scope="module")
def ari22(packages: Packages) -> Builder:
    return Builder(packages.module(ari_spec("22.0.0"), "dataclasses", "ari_22_0_0"))


@pytest.fixture(scope="module")
def hierarchy(packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Builder:
    return Builder(dispatch_models(packages, tmp_path_factory))


def root(cls: type) -> type:
    while cls.__mro__[1].__name__ != "_Model":
        cls = cls.__mro__[1]
    return cls


def check_round_trip(builder: Builder, obj: Any) -> None:
    cls = type(obj)
    data = obj.to_dict()
    assert json.loads(json.dumps(data)) == data  # plain JSON
    for decoder in (cls, root(cls)):
        back = decoder.from_dict(data)
        assert type(back) is cls
        assert back == obj
        assert repr(back) == repr(obj)  # dates compare as instants: their offsets too
        assert back.to_dict() == data
        assert builder.pkg.extra_fields(back) == {}
    assert cls.from_json(obj.to_json()) == obj


def every_instance(builder: Builder) -> st.SearchStrategy[Any]:
    classes = sorted(builder.pkg.MODELS.values(), key=lambda c: c.__name__)
    return st.sampled_from(classes).flatmap(builder.instances)


@pytest.mark.parametrize("which", ["ari22", "hierarchy"])
def test_instances_round_trip(which: str, request: pytest.FixtureRequest) -> None:
    builder: Builder = request.getfixturevalue(which)

    @SETTINGS
    @given(every_instance(builder))
    def run(obj: Any) -> None:
        check_round_trip(builder, obj)

    run()


@pytest.mark.parametrize("which", ["ari22", "hierarchy"])
def test_unknown_members_round_trip(which: str, request: pytest.FixtureRequest) -> None:
    builder: Builder = request.getfixturevalue(which)

    @SETTINGS
    @given(every_instance(builder), st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=3))
    def run(obj: Any, extra: dict[str, Any]) -> None:
        cls = type(obj)
        extra = {k: v for k, v in extra.items() if k not in cls._ari_keys}
        data = {**obj.to_dict(), **extra}
        back = root(cls).from_dict(data)
        assert type(back) is cls and back == obj
        assert builder.pkg.extra_fields(back) == extra
        assert back.to_dict() == data
        assert json.loads(back.to_json()) == data

    run()


def test_dates_round_trip(ari22: Builder) -> None:
    stasis_end = ari22.pkg.StasisEnd
    channel = ari22.pkg.Channel

    @SETTINGS
    @given(DATES)
    def run(when: datetime) -> None:
        text = ari22.models._format_date(when)
        assert len(text) == 28  # Asterisk's form
        ch = channel.from_dict(
            {
                "id": "1",
                "name": "n",
                "state": "Up",
                "protocol_id": "",
                "caller": {"name": "", "number": ""},
                "connected": {"name": "", "number": ""},
                "accountcode": "",
                "dialplan": {
                    "context": "c",
                    "exten": "e",
                    "priority": 1,
                    "app_name": "",
                    "app_data": "",
                },
                "creationtime": text,
                "language": "en",
            }
        )
        assert ch.creationtime == when and ch.creationtime.utcoffset() == when.utcoffset()
        event = stasis_end(application="a", timestamp=when, channel=ch)
        assert ari22.pkg.Message.from_json(event.to_json()) == event

    run()
