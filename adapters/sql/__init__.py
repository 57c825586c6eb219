"""Persistence on SQLite or PostgreSQL: SQLModel tables kept apart from the domain models,
repositories scoped to one municipality, a unit of work, and alembic migrations."""
