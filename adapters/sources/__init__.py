"""Pulling documents from the adapters bound to ``document_source`` (flow 1 from an ESDH).

:mod:`.documents` turns one :class:`ports.integrations.SourcedDocument` into a delivery
to the core's intake (files staged and checked like any other delivery's);
:mod:`.cursors` keeps each source's cursor; :mod:`.poller` polls a source to its end;
:mod:`.schedule` queues a poll of each source in the worker at the configured interval;
:mod:`.cli` is ``sagshub sources``.
"""
