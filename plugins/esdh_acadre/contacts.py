"""Acadre contacts for the hub's parties: found by CPR/CVR, created when missing."""

from __future__ import annotations

from core.models import Party, PartyKind
from core.values import cpr_birth_date
from plugins.esdh_acadre.client import AcadreClient

PORT = "ContactService7"


def _name_parts(name: str) -> dict[str, list[str]]:
    words = name.split()
    if not words:
        return {}
    return {"PersonGivenName": words[:-1] or words, "PersonSurnameName": words[-1:]}


class AcadreContacts:
    """ContactService: SearchContacts by CPR/CVR number, else CreatePerson/CreateOrganization."""

    def __init__(self, client: AcadreClient) -> None:
        self._client = client

    def guid_for(self, party: Party) -> str:
        """The GUID of the party's Acadre contact, created on first need."""
        person = party.kind is PartyKind.PERSON
        found = self._client.call(
            PORT,
            "SearchContacts",
            SearchTerm=party.cpr if person else party.cvr,
            ContactTypeName="Person" if person else "Organization",
            read=True,
        )
        if found:
            return found[0].GUID
        if person:
            return self._create_person(party)
        return self._client.call(
            PORT,
            "CreateOrganization",
            AdvertisementProtectionIndicator=False,
            OrganizationName=party.name or party.cvr,
            CVRnumberIdentifier=party.cvr,
            read=False,
        )

    def _create_person(self, party: Party) -> str:
        assert party.cpr is not None
        return self._client.call(
            PORT,
            "CreatePerson",
            AdvertisementProtectionIndicator=False,
            PersonNameStructure=_name_parts(party.name) or None,
            PersonNameForAddressingName=party.name or None,
            BirthDate=cpr_birth_date(party.cpr),
            BirthDateUncertaintyIndicator=False,
            PersonGenderCode="male" if int(party.cpr[-1]) % 2 else "female",
            PersonCivilRegistrationIdentifier=party.cpr,
            NameAddressProtectionIndicator=False,
            read=False,
        )
