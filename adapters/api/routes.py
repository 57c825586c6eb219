"""The hub's own API controllers."""

from __future__ import annotations

from adapters.api.cases import CaseController
from adapters.api.inbox import InboxController, NoticeController
from adapters.api.intake import IntakeController
from adapters.api.letters import LetterController

API_CONTROLLERS = [IntakeController, InboxController, NoticeController, LetterController]
"""Mounted on the app."""

API_ROUTER_CONTROLLERS = [CaseController]
"""Mounted in the ``/api`` router of :mod:`adapters.api.json_routes`, whose paths they share."""
