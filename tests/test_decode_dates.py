"""Date fields of the dataclasses style, alike on every supported Python.

Asterisk writes ``2026-11-26T05:48:34.307+0000`` (offset without a colon: the server's
zone), which ``datetime.fromisoformat`` reads from Python 3.11 on but not on 3.10.  The
generated module accepts one grammar on every Python (that form, ``Z``, ``±HH:MM``,
``±HH``; seconds and fraction optional), keeps the offset as written, and writes dates
back in Asterisk's form.  The same cases run here and, in a subprocess, under the other
interpreters found on the machine (Python 3.10 above all).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from support.files import tz
from support.packages import Packages
from support.paths import ari_spec, require_shared
from support.specs import declaration, model, write_files

STAMP_SPEC = declaration(
    {
        "Stamp": model(
            "Stamp",
            {
                "at": {"type": "Date", "required": True},
                "maybe": {"type": "Date"},
            },
        )
    }
)


# text → (the datetime it decodes to, how it is written back), or None: a DecodeError.
DATES: dict[str, tuple[datetime, str] | None] = {
    # Asterisk's own form, several zones
    "2026-11-26T05:48:34.307+0000": (datetime(2026, 11, 26, 5, 48, 34, 307000, tz()), "="),
    "2014-05-20T13:15:27.131-0500": (datetime(2014, 5, 20, 13, 15, 27, 131000, tz(-5)), "="),
    "2021-01-07T21:12:57.268+0100": (datetime(2021, 1, 7, 21, 12, 57, 268000, tz(1)), "="),
    "2026-11-26T05:48:34.307-0330": (datetime(2026, 11, 26, 5, 48, 34, 307000, tz(-3, -30)), "="),
    # Z and ±HH:MM (ISO 8601 / RFC 3339), ±HH, no fraction, no seconds, six digits
    "2026-11-26T05:48:34.307Z": (
        datetime(2026, 11, 26, 5, 48, 34, 307000, tz()),
        "2026-11-26T05:48:34.307+0000",
    ),
    "2026-11-26T05:48:34Z": (
        datetime(2026, 11, 26, 5, 48, 34, 0, tz()),
        "2026-11-26T05:48:34.000+0000",
    ),
    "2026-11-26T05:48:34.307+05:30": (
        datetime(2026, 11, 26, 5, 48, 34, 307000, tz(5, 30)),
        "2026-11-26T05:48:34.307+0530",
    ),
    "2026-11-26T05:48:34.307-03:00": (
        datetime(2026, 11, 26, 5, 48, 34, 307000, tz(-3)),
        "2026-11-26T05:48:34.307-0300",
    ),
    "2026-11-26T05:48:34.307+05": (
        datetime(2026, 11, 26, 5, 48, 34, 307000, tz(5)),
        "2026-11-26T05:48:34.307+0500",
    ),
    "2026-11-26T05:48+0100": (
        datetime(2026, 11, 26, 5, 48, 0, 0, tz(1)),
        "2026-11-26T05:48:00.000+0100",
    ),
    "2026-11-26T05:48:34.123456+0000": (
        datetime(2026, 11, 26, 5, 48, 34, 123456, tz()),
        "2026-11-26T05:48:34.123+0000",  # Asterisk writes milliseconds
    ),
    "2026-11-26T05:48:34.1234567+00:00": (
        datetime(2026, 11, 26, 5, 48, 34, 123456, tz()),
        "2026-11-26T05:48:34.123+0000",
    ),
    "2026-11-26 05:48:34.307+0000": (
        datetime(2026, 11, 26, 5, 48, 34, 307000, tz()),
        "2026-11-26T05:48:34.307+0000",
    ),
    "2026-11-26T05:48:34,307+0000": (
        datetime(2026, 11, 26, 5, 48, 34, 307000, tz()),
        "2026-11-26T05:48:34.307+0000",
    ),
    # rejected everywhere (some of these Python 3.11's fromisoformat alone would take)
    "2026-11-26T05:48:34.307": None,  # no offset: naive
    "2026-11-26": None,
    "2026-W48-4T05:48:34.307+0000": None,  # ISO week date
    "2026-11-26x05:48:34.307+0000": None,  # another separator
    "20261126T054834.307+0000": None,  # basic format
    "2026-02-30T05:48:34.307+0000": None,  # no such day
    "2026-11-26T25:48:34.307+0000": None,
    "2026-11-26T05:48:34.307+2400": None,  # offset of a day
    "2026-11-26T05:48:34.307+0000\n": None,
    " 2026-11-26T05:48:34.307+0000": None,
    "\u0662\u0660\u0662\u0666-11-26T05:48:34.307+0000": None,  # Arabic-Indic digits
    "": None,
}


@pytest.fixture(scope="module")
def stamps(packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = write_files(tmp_path_factory.mktemp("stamps"), {"stamps.json": STAMP_SPEC})
    return packages.module(folder / "stamps.json", "dataclasses", "decode_stamps")


@pytest.mark.parametrize("text", list(DATES))
def test_date_grammar(stamps: Any, text: str) -> None:
    expected = DATES[text]
    if expected is None:
        with pytest.raises(stamps.DecodeError) as excinfo:
            stamps.Stamp.from_dict({"at": text})
        assert str(excinfo.value) == f"Stamp.at: not a date with a UTC offset: {text!r}"
        return
    value, written = expected
    stamp = stamps.Stamp.from_dict({"at": text})
    assert stamp.at == value
    assert stamp.at.utcoffset() == value.utcoffset()  # the offset as written, not UTC
    assert stamp.to_dict() == {"at": text if written == "=" else written}


def test_wrong_kinds_for_a_date(stamps: Any) -> None:
    for value, kind in ((1732600114, "an integer"), (None, "null"), ({}, "an object")):
        with pytest.raises(stamps.DecodeError) as excinfo:
            stamps.Stamp.from_dict({"at": value})
        assert str(excinfo.value) == f"Stamp.at: expected a date string, got {kind}"
    with pytest.raises(
        stamps.DecodeError, match=r"^Stamp\.maybe: expected a date string, got a list"
    ):
        stamps.Stamp.from_dict({"at": "2026-11-26T05:48:34.307+0000", "maybe": []})


def test_encoding_dates(stamps: Any) -> None:
    def written(value: datetime) -> str:
        return str(stamps.Stamp(at=value).to_dict()["at"])

    assert written(datetime(2026, 1, 2, 3, 4, 5, 999999, tz(-8))) == "2026-01-02T03:04:05.999-0800"
    assert (
        written(datetime(1999, 12, 31, 23, 59, 59, 0, tz(5, 45))) == "1999-12-31T23:59:59.000+0545"
    )
    assert (
        written(datetime(2026, 1, 2, 3, 4, 5, 1000, timezone.utc)) == "2026-01-02T03:04:05.001+0000"
    )
    # a naive value counts as UTC (documented in the module); an optional absent stays absent
    assert stamps.Stamp(at=datetime(2026, 1, 2, 3, 4, 5)).to_dict() == {
        "at": "2026-01-02T03:04:05.000+0000"
    }
    both = stamps.Stamp(
        at=datetime(2026, 1, 2, tzinfo=tz(1)), maybe=datetime(2026, 1, 3, tzinfo=tz(-1))
    )
    assert both.to_dict() == {
        "at": "2026-01-02T00:00:00.000+0100",
        "maybe": "2026-01-03T00:00:00.000-0100",
    }
    assert stamps.Stamp.from_json(both.to_json()) == both


# --- the same on the other interpreters ------------------------------------------------------

INTERPRETERS = {
    "3.10": ["/root/.pyenv/versions/3.10.13/bin/python3.10", "python3.10"],
    "3.12": ["/root/.pyenv/versions/3.12.1/bin/python3.12", "python3.12"],
    "3.13": ["/root/.pyenv/versions/3.13.0/bin/python3.13", "python3.13"],
}

# Real payloads in their vintage's spec (see tests/test_decode.py), dates with offsets.
SUBPROCESS_PAYLOADS = [
    ("12.0.0", "001_StasisStart.json", "StasisStart"),
    ("12.0.0", "003_PlaybackStarted.json", "PlaybackStarted"),
    ("12.0.0", "016_StasisStart.json", "StasisStart"),
    ("22.0.0", "010_CallBroadcast.json", "Event"),
    ("22.0.0", "020_BridgeCreated.json", "BridgeCreated"),
    ("22.0.0", "029_ChannelCreated.json", "ChannelCreated"),
    ("22.0.0", "043_ContactStatusChange.json", "ContactStatusChange"),
    ("22.0.0", "050_RecordingFinished.json", "RecordingFinished"),
    ("22.0.0", "052_StasisStart.json", "StasisStart"),
]

SCRIPT = r"""
import importlib, json, sys
sys.dont_write_bytecode = True
job = json.load(sys.stdin)
sys.path.insert(0, job["root"])
stamps = importlib.import_module(job["stamps"] + ".models")
out = {"version": list(sys.version_info[:2]), "dates": {}, "payloads": []}
for text in job["dates"]:
    try:
        value = stamps.Stamp.from_dict({"at": text}).at
    except stamps.DecodeError as exc:
        out["dates"][text] = str(exc)
    else:
        offset = value.utcoffset().total_seconds()
        written = stamps.Stamp(at=value).to_dict()["at"]
        out["dates"][text] = [value.isoformat(), offset, written]
for package, path in job["payloads"]:
    pkg = importlib.import_module(package + ".models")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    obj = pkg.Message.from_dict(data)
    dates = sorted(str(v) for v in vars(obj).values() if hasattr(v, "utcoffset"))
    exact = [obj.to_dict() == data, json.loads(obj.to_json()) == data]
    out["payloads"].append([type(obj).__name__, *exact, dates])
print(json.dumps(out))
"""


def find_interpreter(version: str) -> str | None:
    for candidate in INTERPRETERS[version]:
        found = shutil.which(candidate) if "/" not in candidate else candidate
        if found and Path(found).is_file():
            return found
    return None


def ari_package(packages: Packages, version: str) -> Path:
    keys = "last" if version == "12.0.0" else "error"
    base = "ari_" + version.replace(".", "_")
    return packages.get(ari_spec(version), "dataclasses", base, duplicate_keys=keys)


@pytest.mark.parametrize("version", list(INTERPRETERS))
def test_generated_module_on_another_python(packages: Packages, stamps: Any, version: str) -> None:
    python = find_interpreter(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine")
    stamps_folder = Path(stamps.__file__).parent
    payload_dir = require_shared("ari-payloads")
    payloads = [
        (ari_package(packages, spec).name, str(payload_dir / name))
        for spec, name, _ in SUBPROCESS_PAYLOADS
    ]
    for spec, _, _ in SUBPROCESS_PAYLOADS:
        assert ari_package(packages, spec).parent == stamps_folder.parent  # one sys.path entry
    job = {
        "root": str(stamps_folder.parent),
        "stamps": stamps_folder.name,
        "dates": list(DATES),
        "payloads": payloads,
    }
    result = subprocess.run(
        [python, "-I", "-c", SCRIPT],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["version"] == [int(p) for p in version.split(".")]

    for text, expected in DATES.items():
        got = out["dates"][text]
        if expected is None:
            assert got == f"Stamp.at: not a date with a UTC offset: {text!r}", text
        else:
            value, written = expected
            offset = value.utcoffset()
            assert offset is not None
            assert got == [
                value.isoformat(),
                offset.total_seconds(),
                text if written == "=" else written,
            ], text

    for (spec, name, class_name), (got_class, exact, exact_text, dates) in zip(
        SUBPROCESS_PAYLOADS, out["payloads"], strict=True
    ):
        here = packages.module(
            ari_spec(spec),
            "dataclasses",
            ari_package(packages, spec).name,
            duplicate_keys="last" if spec == "12.0.0" else "error",
        )
        data = json.loads((payload_dir / name).read_text(encoding="utf-8"))
        assert (got_class, exact, exact_text) == (class_name, True, True), name
        local = here.Message.from_dict(data)
        assert dates == sorted(str(v) for v in vars(local).values() if isinstance(v, datetime)), (
            name
        )
