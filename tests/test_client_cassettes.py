"""The generated client against real recorded ARI traffic (issue 10, "Real data to test against").

For every cassette in ../shared/ari-cassettes (discovered, not listed here), the client is
generated from the cassette's own ``spec/`` by the CLI (dataclasses and typeddict), and
every REST row that typed arguments can express (tests/support/cassette.plan_calls) is
replayed in cassette order against CassetteServer, with the sync client and then the async
one.  Per row: the request must be the recorded one (method, path, query, JSON body,
Content-Type, Authorization) and the result the decoded recorded answer, or the right
AriError.  All mismatches are reported together, one line per row.

These tests FAIL (they do not skip) while the generated package has no client.py.
"""

from __future__ import annotations

import asyncio
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import cassette as cs
from support.cassette import Call

STYLES = ("dataclasses", "typeddict")


@pytest.fixture(scope="module", params=cs.cassette_names())
def cassette(request: pytest.FixtureRequest) -> cs.Cassette:
    return cs.load_cassette(request.param)


@pytest.fixture(scope="module")
def planned(cassette: cs.Cassette) -> list[Call | cs.Skip]:
    return cs.plan_calls(cassette.spec_dir, cassette.rows)


@pytest.fixture(scope="module", params=STYLES)
def generated_folder(
    request: pytest.FixtureRequest, cassette: cs.Cassette, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[cs.GeneratedFolder]:
    """Generated here, imported by each test (``.load()``): a package without a client then
    FAILS the test instead of erroring its setup."""
    folder = cs.generated_folder(cassette, request.param, tmp_path_factory)
    try:
        yield folder
    finally:
        cs.forget_package(folder.folder.name)


def _calls(planned: list[Call | cs.Skip]) -> list[Call]:
    return [p for p in planned if isinstance(p, Call)]


def _row_problems(call: Call, server: cs.CassetteServer, outcome: list[str]) -> list[str]:
    diffs = cs.compare_request(call.row, server.take())
    if len(server.requests) > 1:
        diffs.append(f"{len(server.requests)} requests for one call")
    return [f"{call.seq} {call.operation}: {d}" for d in diffs + outcome]


def _report(
    cassette: cs.Cassette,
    planned: list[Call | cs.Skip],
    mode: str,
    replayed: int,
    problems: list[str],
) -> str:
    summary = cs.summarize(planned)
    head = f"{cassette.name} ({mode}): {len(problems)} mismatch(es) in {replayed} calls"
    return "\n".join([head, *problems, "", *summary.lines(cassette.name)])


def _check_floor(cassette: cs.Cassette, planned: list[Call | cs.Skip], replayed: int) -> None:
    floor = cs.replay_floor(len(cassette.rows), cassette.name)
    summary = cs.summarize(planned)
    assert replayed == summary.calls, f"replayed {replayed} of {summary.calls} planned calls"
    assert replayed >= floor, (
        f"{cassette.name}: {replayed} calls replayed, floor {floor}\n" + "\n".join(summary.lines())
    )


def _method(client: Any, call: Call) -> Any:
    resource = getattr(client, call.resource_attr, None)
    if resource is None:
        raise AttributeError(f"client has no attribute {call.resource_attr!r}")
    method = getattr(resource, call.method_name, None)
    if method is None:
        raise AttributeError(f"client.{call.resource_attr} has no method {call.method_name!r}")
    return method


def _arguments(method: Any, call: Call, generated: cs.GeneratedClient) -> dict[str, Any]:
    """The row's arguments as the method's types want them: the dataclasses client takes
    model instances where a body holds models (``asterisk.updateObject``'s ConfigTuples)."""
    if generated.style != "dataclasses":
        return call.kwargs
    hints = typing.get_type_hints(method)
    out = dict(call.kwargs)
    for name, value in call.kwargs.items():
        hint = hints.get(name)
        union = typing.get_origin(hint) in (typing.Union, types.UnionType)
        for option in typing.get_args(hint) if union else (hint,):
            (item, *_) = typing.get_args(option) or (None,)
            if isinstance(value, list) and hasattr(item, "from_dict"):
                out[name] = [item.from_dict(v) for v in value]
    return out


def test_replay_sync(
    cassette: cs.Cassette, planned: list[Call | cs.Skip], generated_folder: cs.GeneratedFolder
) -> None:
    # No importorskip("httpx"): without it the sync client must fall back to urllib.
    generated = generated_folder.load()  # in the call phase: no client is a FAILED test
    calls = _calls(planned)
    problems: list[str] = []
    replayed = 0
    with cs.CassetteServer() as server:
        Client = generated.client.Client
        with (
            Client(server.base_url, username=cs.USERNAME, password=cs.PASSWORD) as client,
            Client(server.base_url) as anonymous,
        ):
            for call in calls:
                target = anonymous if call.row.get("auth") == "none" else client
                server.expect(call.row)
                result: Any = None
                exc: BaseException | None = None
                try:
                    method = _method(target, call)
                    result = method(**_arguments(method, call, generated))
                except Exception as error:
                    exc = error
                replayed += 1
                outcome = cs.check_result(call, generated, result, exc)
                problems += _row_problems(call, server, outcome)
    assert not problems, _report(cassette, planned, f"sync, {generated.style}", replayed, problems)
    _check_floor(cassette, planned, replayed)


def test_replay_async(
    cassette: cs.Cassette, planned: list[Call | cs.Skip], generated_folder: cs.GeneratedFolder
) -> None:
    pytest.importorskip("httpx", reason="httpx is not installed (the async client needs it)")
    generated = generated_folder.load()  # in the call phase: no client is a FAILED test
    calls = _calls(planned)
    AsyncClient = generated.client.AsyncClient

    async def replay(server: cs.CassetteServer) -> tuple[int, list[str]]:
        problems: list[str] = []
        replayed = 0
        async with (
            AsyncClient(server.base_url, username=cs.USERNAME, password=cs.PASSWORD) as client,
            AsyncClient(server.base_url) as anonymous,
        ):
            for call in calls:
                target = anonymous if call.row.get("auth") == "none" else client
                server.expect(call.row)
                result: Any = None
                exc: BaseException | None = None
                try:
                    method = _method(target, call)
                    result = await method(**_arguments(method, call, generated))
                except Exception as error:
                    exc = error
                replayed += 1
                outcome = cs.check_result(call, generated, result, exc)
                problems += _row_problems(call, server, outcome)
        return replayed, problems

    with cs.CassetteServer() as server:
        replayed, problems = asyncio.run(asyncio.wait_for(replay(server), 120))
    assert not problems, _report(cassette, planned, f"async, {generated.style}", replayed, problems)
    _check_floor(cassette, planned, replayed)


def test_replay_summary(cassette: cs.Cassette, planned: list[Call | cs.Skip]) -> None:
    """The closing note's numbers (shown with ``-s``): N of M replayed, and why not the rest."""
    summary = cs.summarize(planned)
    print("\n" + "\n".join(summary.lines(cassette.name)))
    assert summary.calls >= cs.replay_floor(summary.total, cassette.name)


def test_generated_into_tmp_only(generated_folder: cs.GeneratedFolder) -> None:
    """The package imported is the one generated for this test, not one on sys.path."""
    generated = generated_folder.load()
    assert Path(generated.client.__file__).parent.name == generated.package
