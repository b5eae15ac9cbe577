"""pyright (standard mode) on generated dataclass packages and their stubs: no errors.

The oldest and the newest ARI specs of ../shared: seed-era and a live Asterisk master's.
The pinned pyright comes with the test extra (it fetches node on first use).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.packages import generate_package
from support.paths import require_shared

SPECS = {
    "seed": ("ari-specs", "seed-era"),
    "master": ("ari-cassettes", "master", "spec"),
}


def _pyright() -> str:
    found = shutil.which("pyright", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("pyright is not installed (pip install -e '.[test]')")
    return found


@pytest.mark.parametrize("style", ["dataclasses", "stubs"])
@pytest.mark.parametrize("spec", sorted(SPECS))
def test_generated_package_is_clean_under_pyright(spec: str, style: str, tmp_path: Path) -> None:
    pyright = _pyright()
    source = require_shared(*SPECS[spec])
    package = generate_package(source, style, tmp_path, f"ari_{spec}", duplicate_keys="last")
    config = {"typeCheckingMode": "standard", "pythonVersion": "3.10", "include": [package.name]}
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    result = subprocess.run(
        [pyright, "--outputjson"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    report = json.loads(result.stdout)
    errors = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule')})"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert report["summary"]["filesAnalyzed"] >= 2
    assert errors == [], "\n".join(errors[:20])
