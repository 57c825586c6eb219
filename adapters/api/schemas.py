"""The request and response bodies of the HTTP API (what ``/schema`` documents).

They are kept apart from the domain models so the API can stay stable while the
domain grows; each response body is built from the domain with ``of``.
Responses carry ``links`` to the resources they name.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from core.intake import Receipt
from core.models import (
    Case,
    CaseStatus,
    InboxItem,
    InboxStatus,
    Notice,
    PlacementTarget,
)
from core.values import CaseNumber, Cpr, Handlingsfacet, KleSubject
from ports.persistence import Page

Links = dict[str, str]


def case_url(case_id: UUID) -> str:
    return f"/api/cases/{case_id}"


def document_url(document_id: UUID) -> str:
    return f"/api/documents/{document_id}"


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ReceiptOut(_Out):
    """Where a delivered document landed and why."""

    document_id: UUID
    target: PlacementTarget
    case_id: UUID | None
    case_number: str | None
    activity_id: UUID | None
    caseworker_id: UUID | None
    inbox_item_id: UUID | None
    rule: str = Field(description="the placement rule that decided")
    reason: str = Field(description="why, in words a caseworker understands")
    duplicate: bool = Field(description="true when this repeated an earlier delivery")
    links: Links

    @classmethod
    def of(cls, receipt: Receipt) -> ReceiptOut:
        links = {"document": document_url(receipt.document_id)}
        if receipt.case_id:
            links["case"] = case_url(receipt.case_id)
        return cls.model_validate(receipt.model_dump() | {"links": links})


class CaseOut(_Out):
    id: UUID
    number: str
    title: str
    kle_subject: str
    handlingsfacet: str
    status: CaseStatus
    caseworker_id: UUID | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    links: Links

    @classmethod
    def of(cls, case: Case) -> CaseOut:
        return cls.model_validate(case.model_dump() | {"links": {"self": case_url(case.id)}})


class ActivityOut(_Out):
    id: UUID
    case_id: UUID
    title: str
    kind: str
    created_at: datetime


class JournalNoteOut(_Out):
    id: UUID
    case_id: UUID
    activity_id: UUID | None
    author_id: UUID | None
    title: str
    text: str
    created_at: datetime


class PlacementOut(_Out):
    id: UUID
    document_id: UUID
    target: PlacementTarget
    case_id: UUID | None
    activity_id: UUID | None
    caseworker_id: UUID | None
    rule: str
    reason: str
    evidence: dict[str, Any]
    placed_by: UUID | None = Field(description="the caseworker who placed it by hand")
    placed_at: datetime


class CaseSearch(BaseModel):
    """Find cases by a party's CPR number, by case number, or both (both must match).
    A search is a POST so that no CPR number ends up in a URL or an access log."""

    model_config = ConfigDict(extra="forbid")

    cpr: Cpr | None = None
    number: CaseNumber | None = None


class NewCaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=500)
    kle_subject: KleSubject = Field(examples=["27.24.00"])
    handlingsfacet: Handlingsfacet = Field(examples=["G01"])
    primary_cpr: Cpr | None = Field(default=None, description="the child the case is about")
    caseworker: str | None = Field(default=None, description="the caseworker's username")


class NewActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=500)
    kind: str = Field(default="generel", min_length=1, max_length=100)


class NewJournalNoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=500)
    text: str = Field(min_length=1, max_length=100_000)
    activity_id: UUID | None = None


class InboxItemOut(_Out):
    id: UUID
    document_id: UUID
    caseworker_id: UUID | None = Field(description="None: the common inbox")
    candidate_case_ids: list[UUID]
    status: InboxStatus
    created_at: datetime
    placed_at: datetime | None
    links: Links

    @classmethod
    def of(cls, item: InboxItem) -> InboxItemOut:
        links = {"document": document_url(item.document_id)}
        links |= {f"candidate_{n}": case_url(c) for n, c in enumerate(item.candidate_case_ids)}
        return cls.model_validate(item.model_dump() | {"links": links})


class InboxPage(BaseModel):
    items: list[InboxItemOut]
    total: int
    offset: int
    limit: int

    @classmethod
    def of(cls, page: Page[InboxItem]) -> InboxPage:
        return cls(
            items=[InboxItemOut.of(item) for item in page.items],
            total=page.total,
            offset=page.offset,
            limit=page.limit,
        )


class PlaceIn(BaseModel):
    """Put an inbox item's document on a case, or on one of its activities."""

    model_config = ConfigDict(extra="forbid")

    case_id: UUID
    activity_id: UUID | None = None
    reason: str = Field(default="placed by hand", min_length=1, max_length=1000)


class NoticeOut(_Out):
    id: UUID
    caseworker_id: UUID
    document_id: UUID | None
    message: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, notice: Notice) -> NoticeOut:
        return cls.model_validate(notice)
