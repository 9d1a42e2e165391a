"""The service schema stays portable: every service table compiles for PostgreSQL, and FTS5 is SQLite-only."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable

from accessible_reader.catalog import service_models
from accessible_reader.catalog.models import Base

SERVICE_TABLES = {
    "artifacts", "jobs", "readers", "positions", "bookmarks", "deliveries",
    "device_loans", "staff_users", "audit_log", "ratings", "search_entries",
}  # fmt: skip


def test_service_tables_compile_for_postgresql() -> None:
    assert service_models.ArtifactRow.__tablename__ == "artifacts"
    tables = {name: table for name, table in Base.metadata.tables.items() if name in SERVICE_TABLES}
    assert set(tables) == SERVICE_TABLES
    for table in tables.values():
        ddl = str(CreateTable(table).compile(dialect=postgresql.dialect()))
        assert ddl.startswith(f"\nCREATE TABLE {table.name}"), ddl
        assert "fts5" not in ddl.lower()
    ratings = str(CreateTable(tables["ratings"]).compile(dialect=postgresql.dialect()))
    assert "CHECK (score BETWEEN 1 AND 5)" in ratings
