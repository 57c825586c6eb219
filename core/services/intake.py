"""The intake use case (flow 1, document in): record a delivered document and place it."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from core.errors import Conflict, DomainError, InvalidValue
from core.intake import IncomingDocument, Receipt
from core.models import Caseworker, Notice
from core.placement import PlacementEngine, filing_engine
from core.rules import PlacementPolicy, PlacementRule
from core.services.group_commit import Announcement, GroupCommit
from core.services.intake_plan import plan_intake
from core.services.transaction import TransactionalService
from ports.blobs import BlobStore
from ports.integrations import Notifier
from ports.persistence import IntakeRecord, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Outcome:
    receipt: Receipt
    caseworker: Caseworker | None = None
    notice: Notice | None = None
    """A notice to pass to the notifier once the intake has committed."""


class IntakeService(TransactionalService):
    """Receives documents, idempotently per (sender system, message id).

    The files arrive already staged in the blob store; they become permanent with
    the commit. Whatever does not commit is discarded, so a failed or repeated
    delivery leaves no staged file behind.
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        blobs: BlobStore,
        municipality_id: UUID,
        rules: Sequence[PlacementRule],
        policy: PlacementPolicy,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(uow_factory, municipality_id)
        self._together: GroupCommit[IncomingDocument, Receipt] = GroupCommit(self.receive_batch)
        self._blobs = blobs
        self._engine = PlacementEngine(rules)
        self._filing = filing_engine()
        self._policy = policy
        self._notifier = notifier

    def receive(self, incoming: IncomingDocument) -> Receipt:
        """Record and place one document; a repeat answers with the first receipt.

        Deliveries received concurrently share a transaction (see
        :mod:`core.services.group_commit`); each caller still gets its own receipt, or
        its own error, once that transaction committed. When a concurrent identical
        delivery commits first, the commit conflicts and the next attempt finds its
        ledger entry: the answer is then that receipt.
        """
        return self._together.submit(incoming)

    def arriving(self) -> Announcement[IncomingDocument, Receipt]:
        """Announce a delivery still being read; ``submit`` it to receive it as
        :meth:`receive` does. A transaction about to be written waits a few milliseconds
        for the deliveries announced, so that they share it (see
        :mod:`core.services.group_commit`)."""
        return self._together.announce()

    def file(self, incoming: IncomingDocument) -> Receipt:
        """File a document a caseworker brings (an e-mail, a PDF to send as a letter) on
        the case, or activity, that ``incoming.case`` names.

        Only the explicit reference decides: the caseworker chose the case, so no rule
        may move the document elsewhere. Otherwise it is an intake like any other:
        recorded once per (sender system, message id), its files kept with the commit.
        """
        ref = incoming.case
        if ref is None or (ref.case_id is None and ref.case_number is None):
            self._discard(incoming)
            raise InvalidValue("name the case to file the document on", field="case")
        return self._receive(incoming, self._filing)

    def _receive(self, incoming: IncomingDocument, engine: PlacementEngine) -> Receipt:
        try:
            outcome = self._run(lambda uow: self._one(uow, incoming, engine))
        except BaseException:
            self._discard(incoming)
            raise
        self._notify([outcome])
        return outcome.receipt

    def receive_batch(self, incomings: Iterable[IncomingDocument]) -> list[Receipt | DomainError]:
        """Receive many documents in one transaction (bulk migration).

        An item that fails its checks is answered with its error and the others still
        commit. If the batch's commit conflicts with a concurrent transaction, the items
        are received one by one instead.
        """
        incomings = list(incomings)
        try:
            with self._uow_factory(self._municipality_id) as uow:
                ledger = uow.intake.get_many([_key(incoming) for incoming in incomings])
                _read_ahead(uow, incomings)
                results = [self._one_in_batch(uow, incoming, ledger) for incoming in incomings]
                try:
                    uow.commit()
                    committed = True
                except Conflict:
                    committed = False
        except BaseException:
            for incoming in incomings:
                self._discard(incoming)
            raise
        if not committed:
            return self._one_by_one(incomings, results)
        self._notify([r for r in results if isinstance(r, _Outcome)])
        return [r.receipt if isinstance(r, _Outcome) else r for r in results]

    def _one(
        self,
        uow: UnitOfWork,
        incoming: IncomingDocument,
        engine: PlacementEngine | None = None,
        ledger: dict[tuple[str, str], IntakeRecord] | None = None,
    ) -> _Outcome:
        """Receive one delivery in ``uow``. A batch passes the ledger entries it read for
        all its keys at once; each delivery it receives is added to them, so a repeat
        later in the same batch is answered like any other."""
        if ledger is None:
            record = uow.intake.get(incoming.sender_system, incoming.message_id)
        else:
            record = ledger.get(_key(incoming))
        if record is not None:
            return self._repeat(record, incoming)
        plan = plan_intake(uow, incoming, engine or self._engine, self._policy)
        plan.write(uow)
        if ledger is not None:
            ledger[_key(incoming)] = plan.ledger_record
        return _Outcome(plan.receipt, plan.caseworker, plan.notice)

    def _one_in_batch(
        self,
        uow: UnitOfWork,
        incoming: IncomingDocument,
        ledger: dict[tuple[str, str], IntakeRecord],
    ) -> _Outcome | DomainError:
        try:
            return self._one(uow, incoming, ledger=ledger)
        except DomainError as error:
            self._discard(incoming)
            return error

    def _one_by_one(
        self, incomings: list[IncomingDocument], batch: list[_Outcome | DomainError]
    ) -> list[Receipt | DomainError]:
        """After a batch lost a race: items that failed their checks keep their error (their
        files are gone); the others are received again, each in its own transaction."""
        return [
            earlier if isinstance(earlier, DomainError) else self._receive_or_error(incoming)
            for incoming, earlier in zip(incomings, batch, strict=True)
        ]

    def _receive_or_error(self, incoming: IncomingDocument) -> Receipt | DomainError:
        try:
            return self._receive(incoming, self._engine)
        except DomainError as error:
            return error

    def _repeat(self, record: IntakeRecord, incoming: IncomingDocument) -> _Outcome:
        """The same delivery again: the first receipt. Other content, same key: Conflict."""
        self._discard(incoming)
        if record.fingerprint != incoming.fingerprint():
            raise Conflict(
                f"message {incoming.message_id!r} from {incoming.sender_system!r} was already "
                "received with other content; send new content under a new message id",
                field="message_id",
            )
        return _Outcome(record.receipt.model_copy(update={"duplicate": True}))

    def _discard(self, incoming: IncomingDocument) -> None:
        """Discard the delivery's staged files. Files a rolled-back unit of work kept were
        discarded by it already, and the blob store ignores unknown tokens."""
        for variant in incoming.variants:
            for part in variant.parts:
                self._blobs.discard(part.staging_token)

    def _notify(self, outcomes: list[_Outcome]) -> None:
        """Tell caseworkers about their new inbox items. Runs after the commit; a notifier
        failure is logged, since the document is safely received and the notice stored."""
        if self._notifier is None:
            return
        for outcome in outcomes:
            if outcome.notice is None or outcome.caseworker is None:
                continue
            try:
                self._notifier.notify(outcome.caseworker, outcome.notice)
            except Exception:
                log.exception("notifying caseworker %s failed", outcome.caseworker.username)


def _key(incoming: IncomingDocument) -> tuple[str, str]:
    """A delivery's key in the intake ledger."""
    return incoming.sender_system, incoming.message_id


def _read_ahead(uow: UnitOfWork, incomings: list[IncomingDocument]) -> None:
    """Read the cases and parties a batch names, in a few queries, before its documents
    are placed one by one: the repositories may remember them for the rest of the
    transaction (see :class:`ports.persistence.CaseRepository`), which spares the
    placement rules a query each."""
    ids = {i.case.case_id for i in incomings if i.case and i.case.case_id}
    numbers = {i.case.case_number for i in incomings if i.case and i.case.case_number}
    cprs = {cpr for incoming in incomings for cpr in incoming.cprs}
    if ids:
        uow.cases.get_many(sorted(ids))
    if numbers:
        uow.cases.get_many_by_number(sorted(numbers))
    if cprs:
        parties = uow.parties.get_many_by_cpr(sorted(cprs))
        uow.cases.open_cases_for_parties([party.id for party in parties])
