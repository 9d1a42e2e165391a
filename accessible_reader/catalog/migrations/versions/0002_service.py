"""service tables: artifacts, jobs, readers, positions, bookmarks, deliveries, loans, staff, audit, ratings, search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_FTS_TRIGGERS = (
    """CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
      INSERT INTO search_fts(rowid, ngrams, extra, pinyin, initials, formats)
      VALUES (new.id, new.ngrams, new.extra, new.pinyin, new.initials, new.formats);
    END""",
    """CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
      INSERT INTO search_fts(search_fts, rowid, ngrams, extra, pinyin, initials, formats)
      VALUES ('delete', old.id, old.ngrams, old.extra, old.pinyin, old.initials, old.formats);
    END""",
    """CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN
      INSERT INTO search_fts(search_fts, rowid, ngrams, extra, pinyin, initials, formats)
      VALUES ('delete', old.id, old.ngrams, old.extra, old.pinyin, old.initials, old.formats);
      INSERT INTO search_fts(rowid, ngrams, extra, pinyin, initials, formats)
      VALUES (new.id, new.ngrams, new.extra, new.pinyin, new.initials, new.formats);
    END""",
)


def upgrade() -> None:
    """Create the service tables, and on SQLite the FTS5 search index with its triggers."""
    op.create_table(
        "artifacts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("book_id", sa.String(32), sa.ForeignKey("books.id", ondelete="CASCADE"), nullable=False),
        sa.Column("job_id", sa.String(32), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("settings_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_artifacts_book_id", "artifacts", ["book_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("book_id", sa.String(32), sa.ForeignKey("books.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("eta_seconds", sa.Float(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("options_json", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_jobs_book_id", "jobs", ["book_id"])
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.create_table(
        "readers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("card_number", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=False),
        sa.Column("preferences_json", sa.Text(), nullable=False),
        sa.Column("delivery_address", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "positions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reader_id", sa.Integer(), sa.ForeignKey("readers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("book_id", sa.String(32), sa.ForeignKey("books.id", ondelete="CASCADE"), nullable=False),
        sa.Column("location", sa.String(128), nullable=False),
        sa.Column("offset_ms", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("reader_id", "book_id", name="uq_positions_reader_book"),
    )
    op.create_index("ix_positions_reader_id", "positions", ["reader_id"])
    op.create_table(
        "bookmarks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reader_id", sa.Integer(), sa.ForeignKey("readers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("book_id", sa.String(32), sa.ForeignKey("books.id", ondelete="CASCADE"), nullable=False),
        sa.Column("location", sa.String(128), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_bookmarks_reader_id", "bookmarks", ["reader_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reader_id", sa.Integer(), sa.ForeignKey("readers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("items_json", sa.Text(), nullable=False),
        sa.Column("medium", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("history_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_deliveries_reader_id", "deliveries", ["reader_id"])
    op.create_table(
        "device_loans",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reader_id", sa.Integer(), sa.ForeignKey("readers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("device", sa.Text(), nullable=False),
        sa.Column("serial", sa.String(64), nullable=False),
        sa.Column("loaned_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_device_loans_reader_id", "device_loans", ["reader_id"])
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reader_id", sa.Integer(), sa.ForeignKey("readers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("book_id", sa.String(32), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_ratings_score"),
    )
    op.create_index("ix_ratings_reader_id", "ratings", ["reader_id"])
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "record_id",
            sa.Integer(),
            sa.ForeignKey("catalog_records.id", ondelete="CASCADE"),
            nullable=True,
            unique=True,
        ),
        sa.Column("book_id", sa.String(32), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("authors", sa.Text(), nullable=False),
        sa.Column("year", sa.String(32), nullable=False),
        sa.Column("ngrams", sa.Text(), nullable=False),
        sa.Column("extra", sa.Text(), nullable=False),
        sa.Column("pinyin", sa.Text(), nullable=False),
        sa.Column("initials", sa.Text(), nullable=False),
        sa.Column("formats", sa.Text(), nullable=False),
    )
    op.create_index("ix_search_entries_book_id", "search_entries", ["book_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "ngrams, extra, pinyin, initials, formats, content='search_entries', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 0', prefix='1 2')"
        )
        for trigger in _FTS_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    """Drop the service tables (and the FTS5 index)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    for table in (
        "search_entries",
        "ratings",
        "audit_log",
        "staff_users",
        "device_loans",
        "deliveries",
        "bookmarks",
        "positions",
        "readers",
        "jobs",
        "artifacts",
    ):
        op.drop_table(table)
