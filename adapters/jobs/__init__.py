"""The job queue (the outbox): jobs written in the transaction that causes them, run later.

Two adapters of :class:`ports.integrations.JobQueue`: an embedded outbox table drained
by a worker thread or ``sagshub worker`` (:mod:`adapters.jobs.outbox`, for SQLite), and
procrastinate (:mod:`adapters.jobs.procrastinate_queue`, for PostgreSQL, where several
workers may run). Both retry through :class:`adapters.jobs.runner.RetryPolicy`.
"""
