"""Bulk migration of old documents through the core's intake (``sagshub migrate``).

A *source* (folder export, CSV or JSON-lines manifest, or an enabled
``DocumentSource`` plugin) yields :class:`~adapters.migration.items.MigrationItem`
objects lazily; the :class:`~adapters.migration.runner.Migration` stages their
bytes, derives a stable message id per document and hands them to the
``IntakeService`` in batches, one transaction per batch. See ``docs/migration.md``.
"""
