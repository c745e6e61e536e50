from __future__ import annotations

import pytest

from tests.portability.backup_helpers import EmptySite


@pytest.fixture
def make_empty_site(tmp_path):
    """Makes empty sites to restore into; their PostgreSQL databases are dropped afterwards."""
    sites = []

    def make() -> EmptySite:
        sites.append(EmptySite(tmp_path))
        return sites[-1]

    yield make
    for site in sites:
        site.drop()
