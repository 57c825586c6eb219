"""The sagshub domain: models, value types, placement rules, services and events.

Plain Python and pydantic only. Everything outside (databases, HTTP, plugins)
reaches the core through the protocols in :mod:`ports`.
"""
