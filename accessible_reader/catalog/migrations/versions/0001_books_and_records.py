"""books and catalog records

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the books and catalog_records tables."""
    op.create_table(
        "books",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("authors", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("year", sa.String(32), nullable=False),
        sa.Column("isbn", sa.String(32), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("call_number", sa.String(64), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("characters", sa.Integer(), nullable=False),
        sa.Column("document_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_books_isbn", "books", ["isbn"])
    op.create_table(
        "catalog_records",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("control_number", sa.String(64), nullable=False),
        sa.Column("source_format", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("authors", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("year", sa.String(32), nullable=False),
        sa.Column("isbn", sa.String(32), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("call_number", sa.String(64), nullable=False),
        sa.Column("subjects", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("book_id", sa.String(32), sa.ForeignKey("books.id", ondelete="SET NULL"), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_catalog_records_control_number", "catalog_records", ["control_number"])
    op.create_index("ix_catalog_records_isbn", "catalog_records", ["isbn"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("catalog_records")
    op.drop_table("books")
