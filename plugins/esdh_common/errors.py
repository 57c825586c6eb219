"""How a failed call to an ESDH reaches the hub: one error, retryable or not."""

from __future__ import annotations

import re

from core.values import mask_cpr
from ports.integrations import ExportFailed

_CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?\d{4}(?!\d)")


def redact_cprs(text: str) -> str:
    """``text`` with anything shaped like a CPR number masked (a remote fault may echo one)."""
    return _CPR_LIKE.sub(lambda match: mask_cpr(match.group(1)), text)


class EsdhError(ExportFailed):
    """A call to an ESDH failed.

    ``retryable`` says whether the same call may succeed later (a timeout, the service
    down, a server fault); the job queue retries only those. ``code`` names the kind of
    failure (``acadre.timeout``, ``kmd_sag.fault`` …) for logs and the jobs overview.
    The message never carries a CPR number: it is masked, whatever the remote said.
    """

    def __init__(
        self, message: str, *, system: str, operation: str, retryable: bool, kind: str
    ) -> None:
        super().__init__(
            redact_cprs(f"{system} {operation}: {message}"),
            retryable=retryable,
            code=f"{system}.{kind}",
        )
        self.system = system
        self.operation = operation
