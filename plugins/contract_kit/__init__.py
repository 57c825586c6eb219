"""Contract test suites for the integration ports, for built-in and vendor adapters alike.

One module per port; each holds a class of pytest tests to subclass with the fixtures
its docstring names (the adapter, and an observer of the remote side)::

    from plugins.contract_kit.case_exporter_contract import CaseExporterContract

    class TestMyExporter(CaseExporterContract):
        ...

- :mod:`plugins.contract_kit.case_exporter_contract` — ``CaseExporter``
- :mod:`plugins.contract_kit.document_exporter_contract` — ``DocumentExporter``
- :mod:`plugins.contract_kit.document_source_contract` — ``DocumentSource``

:mod:`plugins.contract_kit.samples` builds the snapshots the suites export, and
:mod:`plugins.contract_kit.remote` defines what an observer answers. Suites for
``LetterChannel`` and ``Archiver`` will sit beside these, in the same shape.
"""

from plugins.contract_kit import (
    case_exporter_contract,
    document_exporter_contract,
    document_source_contract,
)
from plugins.contract_kit.case_exporter_contract import CaseExporterContract
from plugins.contract_kit.document_exporter_contract import DocumentExporterContract
from plugins.contract_kit.document_source_contract import DocumentSourceContract

__all__ = [
    "CaseExporterContract",
    "DocumentExporterContract",
    "DocumentSourceContract",
    "case_exporter_contract",
    "document_exporter_contract",
    "document_source_contract",
]
