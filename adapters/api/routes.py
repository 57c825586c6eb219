"""The hub's own API controllers."""

from __future__ import annotations

from adapters.api.cases import CaseController
from adapters.api.documents import DocumentController
from adapters.api.inbox import InboxController, NoticeController
from adapters.api.intake import IntakeController
from adapters.api.letters import LetterController

API_CONTROLLERS = [
    IntakeController,
    CaseController,
    DocumentController,
    InboxController,
    NoticeController,
    LetterController,
]
