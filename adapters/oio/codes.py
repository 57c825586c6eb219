"""The role and type codes of SF1470 relations, and who registers a copy.

In the joint municipal infrastructure a relation's role and type are Klasse objects
of Fælleskommunalt Klassifikationssystem, named by UUID. The defaults are the
published values KOMBIT's own SF1470 client samples use ("should NOT be modified");
a municipality may override them in the plugin settings.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class RelationCodes(BaseModel):
    """Klassifikation UUIDs for the roles (``Rolle``) and types (``Type``) of relations."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    owner_role: UUID = UUID("9e979b84-b846-4472-8622-58007dc63c7e")
    """Rolle = Ejer (the municipality owns the case)."""
    organisation_type: UUID = UUID("bc6972cd-8f2b-4b9d-8d37-62916d6a71aa")
    primary_caseworker_role: UUID = UUID("bf1f93ed-9441-4af4-835b-baeb201f3076")
    """Rolle = Primær behandler."""
    user_type: UUID = UUID("85d65133-4b00-460d-992e-3984857b5768")
    primary_party_role: UUID = UUID("d839f26a-d4d1-4441-b2d6-3dbbb12a9404")
    """Rolle = Primær part."""
    person_type: UUID = UUID("c189ba35-de4b-4363-a8b7-67f1456cf56f")
    other_party_role: UUID | None = None
    """Rolle for a party that is not the primary one; None leaves the role out."""
    company_type: UUID | None = None
    primary_class_role: UUID = UUID("a86c6581-ec85-412d-a655-31a1f1d5b14f")
    """Rolle = Primær klasse (the KLE subject)."""
    action_class_role: UUID = UUID("05ef7011-11a7-4e4c-a46b-3de6aa457fc3")
    """Rolle = Handlingsklasse (the KLE handlingsfacet)."""
    class_type: UUID = UUID("267235ea-526d-4a18-8001-f2a0e563eba1")
    master_role: UUID = UUID("251c24fd-57b0-4afc-9d73-b063d1957eb3")
    """Rolle = Master (the IT system that owns the case)."""
    it_system_type: UUID = UUID("29fe1da2-897a-46cd-b635-b9be8e0bffd6")
    filed_document_role: UUID | None = None
    """Rolle = Tilakteret (a document that matters to the case); from Klassifikation."""
    journal_note_role: UUID | None = None
    """Rolle for a journal note's journal post; from Klassifikation."""
    document_type: UUID | None = None
    """Type = Dokument (journal posts, also those of journal notes); from Klassifikation."""
    note_format: str = Field(default="text/plain", max_length=50)
    """The journal notes' ``Format`` (the index wants the Klassifikation UUID of "Text")."""


class Registrant(BaseModel):
    """The IT system that registers the copy (sagshub, as known to FK Organisation)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    system_uuid: UUID | None = Field(
        default=None,
        description="the hub's it-system UUID in Fælleskommunalt Administrationssystem",
    )
    system_name: str = Field(default="sagshub", min_length=1, max_length=255)

    @property
    def urn(self) -> str | None:
        """The system as ``AktoerRef`` / ``BrugerRef``: ``urn:oio:it-system-uuid:<uuid>``."""
        return f"urn:oio:it-system-uuid:{self.system_uuid}" if self.system_uuid else None
