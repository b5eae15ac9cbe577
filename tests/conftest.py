"""Fixtures only; helpers live in tests/support/."""

import pytest
from support.packages import Packages


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    """Generated packages shared by the session: each (spec, style) rendered once."""
    return Packages(tmp_path_factory.mktemp("packages"))
