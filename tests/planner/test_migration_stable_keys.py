from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("planner", "0005_search_trigram_indexes")]
AFTER = [("planner", "0006_stable_keys_imported_comments_likes")]


@pytest.fixture
def back_to_the_latest_migrations():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_it_gives_every_existing_row_its_own_key():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    accounts = executor.loader.graph.leaf_nodes("accounts")
    apps = executor.loader.project_state(BEFORE + accounts).apps
    User = apps.get_model("accounts", "User")
    Year = apps.get_model("planner", "Year")
    Goal = apps.get_model("planner", "Goal")
    owner = User.objects.create(username="owner")
    years = [Year.objects.create(owner=owner, year=2020 + n) for n in range(3)]
    for year in years:
        Goal.objects.create(year=year, title="A goal")
        Goal.objects.create(year=year, title="Another")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    apps = executor.loader.project_state(AFTER).apps
    keys = list(apps.get_model("planner", "Goal").objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 6
    assert None not in keys
    year_keys = set(apps.get_model("planner", "Year").objects.values_list("key", flat=True))
    assert len(year_keys) == 3
