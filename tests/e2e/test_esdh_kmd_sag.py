"""Issue 5 done-when, for KMD Sag: the same round trip as Acadre's, against the fake KMD Sag."""

from __future__ import annotations

import pytest

from tests.e2e.esdh import REPLY, Esdh, round_trip


def kmd_esdh(fake) -> Esdh:
    def file_on(case_external_id, *, title, cpr, for_hub=True):
        fake.file_document(
            title=title,
            content=REPLY,
            file_name=f"{title}.pdf",
            mime_type="application/pdf",
            cpr=cpr,
            for_hub=for_hub,
            case_uuid=case_external_id,
        )

    settings = f"""
[plugins.esdh_kmd_sag]
sag_endpoint = "{fake.sag_endpoint}"
dokument_endpoint = "{fake.dokument_endpoint}"
timeout_seconds = 5
read_retries = 0

[plugins.esdh_kmd_sag.source]
marker_class_urn = "{fake.marker_class_urn}"
page_size = 2
"""
    return Esdh("esdh_kmd_sag", "kmd_sag", fake, settings, ("sag.Opret", "sag.Ret"), file_on)


@pytest.fixture
def esdh(kmd) -> Esdh:
    return kmd_esdh(kmd)


def test_a_case_goes_out_and_documents_come_back_onto_the_right_cases(esdh, hub):
    round_trip(esdh, hub)
