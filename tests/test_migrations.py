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


def test_the_band_discussion_moves_into_comments_and_back(tmp_path):
    """0015 keeps every BAND comment kept under a proposal (as comments), also on a database
    with counted ballots, and gives them back on a downgrade."""
    from alembic import command
    from sqlalchemy import text

    from bot.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'band.db'}"
    upgrade(url, "0014")
    engine = make_engine(url)
    now = "2026-11-30 00:00:00"
    try:
        with engine.begin() as conn:
            for statement in (
                "INSERT INTO communities (id, slug, name, phone, timezone, min_voting_age, "
                "proposal_rules, complaint_text, uses_disagree, created_at) VALUES (1, 'c', 'c', "
                "'', 'Asia/Seoul', 19, '[]', '', 0, :now)",
                "INSERT INTO residents (id, community_id, identity_key, lookup_key, masked_name, "
                "birth_date, created_at, updated_at) VALUES (1, 1, 'k', 'l', '김*수', "
                "'1950-01-01', :now, :now)",
                "INSERT INTO proposals (id, community_id, proposer_id, title, content, field, "
                "status, rules, stage, answer_text, screen_reason, created_at) VALUES (1, 1, 1, "
                "'t', 'c', 'other', 'collecting', '[]', 0, '', '', :now)",
                "INSERT INTO proposal_discussions (proposal_id, channel, author, content, at) "
                "VALUES (1, 'band', '이*영', '좋아요', :now)",
                "INSERT INTO ballots (id, community_id, title, overview, opens_at, closes_at, "
                "secret, onsite, reminders, reminders_done, created_by, created_at, "
                "cancel_reason) VALUES (1, 1, 't', '', :now, :now, 1, 0, '[]', '[]', 'm', :now, '')",
                "INSERT INTO ballot_items (id, ballot_id, number, title, summary, kind, options, "
                "max_choices, allow_abstain) VALUES (1, 1, 1, 'i', '', 'yes_no', '[]', 1, 0)",
                "INSERT INTO ballot_tallies (ballot_id, item_id, option, count) VALUES (1, 1, 1, 2)"):
                conn.execute(text(statement), {"now": now})
        upgrade(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT community_id, proposal_id, channel, author, text "
                                     "FROM comments")).all() == [(1, 1, "band", "이*영", "좋아요")]
            assert conn.execute(text("SELECT count FROM ballot_tallies")).scalar() == 2
        command.downgrade(alembic_config(url), "0014")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT author, content FROM proposal_discussions")
                                ).all() == [("이*영", "좋아요")]
    finally:
        engine.dispose()
