"""Committed domain events reach the plugins' event hooks; a failing plugin is only logged."""

from __future__ import annotations

import logging
from uuid import uuid4

from adapters.hook_events import HookEventPublisher
from adapters.plugins import load_plugins
from core.events import CaseChanged, DocumentPlaced, DocumentReceived
from core.models import PlacementTarget
from ports.hookspecs import hookimpl


class Listener:
    def __init__(self):
        self.heard = []

    @hookimpl
    def sagshub_document_received(self, event):
        self.heard.append(("received", event.document_id))

    @hookimpl
    def sagshub_document_placed(self, event):
        self.heard.append(("placed", event.document_id))

    @hookimpl
    def sagshub_case_changed(self, event):
        self.heard.append(("case", event.case_id))


class Failing:
    @hookimpl(tryfirst=True)
    def sagshub_case_changed(self, event):
        raise RuntimeError("the vendor's server said no about 0101151234")


def test_each_event_goes_to_its_hook():
    listener = Listener()
    publisher = HookEventPublisher(load_plugins([], extra={"listener": listener}))
    municipality, document, case = uuid4(), uuid4(), uuid4()

    publisher.publish(
        [
            DocumentReceived(
                municipality_id=municipality,
                document_id=document,
                sender_system="s",
                message_id="m",
            ),
            DocumentPlaced(
                municipality_id=municipality,
                document_id=document,
                placement_id=uuid4(),
                target=PlacementTarget.CASE,
                case_id=case,
                rule="case_reference",
            ),
            CaseChanged(municipality_id=municipality, case_id=case, change="document"),
        ]
    )

    assert listener.heard == [("received", document), ("placed", document), ("case", case)]


def test_a_failing_plugin_is_logged_and_the_others_still_hear(caplog):
    listener = Listener()
    manager = load_plugins([], extra={"listener": listener, "failing": Failing()})
    case = uuid4()

    with caplog.at_level(logging.ERROR, logger="adapters.hook_events"):
        HookEventPublisher(manager).publish(
            [CaseChanged(municipality_id=uuid4(), case_id=case, change="status")]
        )

    assert listener.heard == [("case", case)]
    (record,) = caplog.records
    assert record.getMessage() == (
        f"plugin failing failed in sagshub_case_changed for CaseChanged (ids case_id={case})"
    )
    assert record.exc_info[0] is RuntimeError
