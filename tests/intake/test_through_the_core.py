"""A parsed delivery goes through the core's intake: files commit with it, or vanish."""

from __future__ import annotations

import pytest

from adapters.intake.staging import DeliveryStaging
from adapters.intake.xml_envelope import parse_envelope
from core.errors import Conflict, DomainError, NotFound
from core.models import PlacementTarget
from core.placement import seed_chain
from core.rules import PlacementPolicy
from core.services.intake import IntakeService
from tests.fakes import InMemoryStore, RecordingPublisher, memory_uow_factory
from tests.unit.builders import World

from .envelopes import PDF, PNG, PartSpec, VariantSpec, envelope, sha


@pytest.fixture
def world(blobs) -> World:
    return World(memory_uow_factory(InMemoryStore(), blobs, RecordingPublisher()))


@pytest.fixture
def intake(world, blobs) -> IntakeService:
    return IntakeService(world.uow_factory, blobs, world.id, seed_chain(), PlacementPolicy())


def deliver(blobs, intake, data: bytes, files: dict[str, bytes] | None = None):
    """What an endpoint does: stage, translate, receive; answer in the sender's terms."""
    with DeliveryStaging(blobs) as staging:
        delivery = parse_envelope(data, staging)
        for reference, content in (files or {}).items():
            delivery.stage(reference, [content])
        try:
            return intake.receive(delivery.to_incoming())
        except DomainError as error:
            raise delivery.in_senders_terms(error) from None


def on_case(number: str, **parts) -> bytes:
    return envelope(case=f"<Case><CaseNumber>{number}</CaseNumber></Case>", **parts)


def test_a_delivery_lands_on_its_case_with_its_files_stored(blobs, intake, world):
    case = world.case()
    variants = [VariantSpec(parts=[PartSpec(), PartSpec("b.png", "image/png", PNG, cid="b")])]
    receipt = deliver(blobs, intake, on_case(case.number, variants=variants), {"b": PNG})

    assert (receipt.target, receipt.case_id) == (PlacementTarget.CASE, case.id)
    assert blobs.exists(sha(PDF)) and blobs.exists(sha(PNG))
    assert blobs.staged_files() == []


def test_a_repeat_answers_with_the_first_receipt_and_leaves_no_staged_copy(blobs, intake, world):
    data = on_case(world.case().number)
    first = deliver(blobs, intake, data)
    again = deliver(blobs, intake, data)

    assert again == first.model_copy(update={"duplicate": True})
    assert blobs.staged_files() == []


def test_a_changed_payload_under_a_used_message_id_is_a_conflict(blobs, intake, world):
    number = world.case().number
    deliver(blobs, intake, on_case(number))
    other = b"%PDF-1.7 another letter"
    with pytest.raises(Conflict) as caught:
        deliver(
            blobs, intake, on_case(number, variants=[VariantSpec(parts=[PartSpec(data=other)])])
        )

    assert caught.value.field == "/Envelope/Sender/MessageId"
    assert not blobs.exists(sha(other))
    assert blobs.staged_files() == []


def test_an_unknown_case_number_names_the_envelopes_case(blobs, intake):
    with pytest.raises(NotFound) as caught:
        deliver(blobs, intake, on_case("27.24.00-G01-999-23"))

    assert caught.value.field == "/Envelope/Case"
    assert not blobs.exists(sha(PDF))
    assert blobs.staged_files() == []
