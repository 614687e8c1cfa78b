"""The Alembic migrations build exactly the schema the models describe (production never calls
create_all), on SQLite and on PostgreSQL."""


from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.db import make_engine
from bot.migrate import upgrade
from bot.models import Base
from tests.conftest import PG_URL, requires_postgres
from tests.scratch import postgres_database


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_sqlite_migrations_match_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    assert _differences(url) == []


@requires_postgres
def test_postgres_migrations_match_the_models():
    with postgres_database(PG_URL, "maeul_migrate") as url:
        upgrade(url)
        assert _differences(url) == []
