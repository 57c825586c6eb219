"""Archive extracts asked for over the API and made by the worker.

``POST /api/archive/extracts`` records the order (:mod:`.store`) and queues an
``archive_extract`` job in the same transaction; the job runs the adapter bound to the
``archive`` port (:class:`ports.integrations.Archiver`) on the selected cases and records
how it went, which ``GET /api/archive/extracts/{id}`` shows (:mod:`.service`).
"""
