"""Alembic migrations of the SQL schema (see ``Database.upgrade``)."""
