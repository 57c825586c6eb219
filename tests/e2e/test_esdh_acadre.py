"""Issue 5 done-when, for Acadre: a hub configured with ``esdh_acadre`` exports a case with
documents end to end and pulls documents from the fake Acadre onto the right cases."""

from __future__ import annotations

import pytest

from tests.e2e.esdh import REPLY, Esdh, cli, documents_titled, new_case, round_trip


def acadre_esdh(fake) -> Esdh:
    def file_on(case_external_id, *, title, cpr, for_hub=True):
        fake.file_document(
            title=title,
            content=REPLY,
            file_name=f"{title}.pdf",
            mime_type="application/pdf",
            cpr=cpr,
            for_hub=for_hub,
            case_id=int(case_external_id) if case_external_id else None,
        )

    settings = f"""
[plugins.esdh_acadre]
endpoint = "{fake.endpoint}"
user_env = "ACADRE_USER"
timeout_seconds = 5
read_retries = 0

[plugins.esdh_acadre.case]
default_case_manager = 1

[plugins.esdh_acadre.source]
document_type_id = "{fake.hub_marker_type}"
"""
    return Esdh("esdh_acadre", "acadre", fake, settings, ("CreateCase", "UpdateCase"), file_on)


@pytest.fixture
def esdh(acadre) -> Esdh:
    return acadre_esdh(acadre)


def test_a_case_goes_out_and_documents_come_back_onto_the_right_cases(esdh, hub):
    round_trip(esdh, hub)


def test_an_unreachable_acadre_stops_the_poll_and_the_next_one_resumes(esdh, hub, acadre):
    case = new_case(hub, "Bekymring")
    cpr = hub.services.cases.snapshot(case.id, "test").parties[0].cpr
    esdh.file_on(None, title="Svar fra mor", cpr=cpr)
    acadre.fail_next("http", status=503, operation="MainDocumentSearch")

    stopped = cli(hub, "sources", "poll")
    assert stopped.exit_code == 1
    assert "esdh_acadre: the poll stopped:" in stopped.stderr and "503" in stopped.stderr
    assert "esdh_acadre: 0 received" in stopped.stdout
    assert documents_titled(hub, case) == {}

    resumed = cli(hub, "sources", "poll")
    assert resumed.exit_code == 0
    assert "esdh_acadre: 1 received (1 case)" in resumed.stdout
    assert set(documents_titled(hub, case)) == {"Svar fra mor"}


def test_a_document_the_intake_refuses_is_reported_and_passed(esdh, hub, acadre):
    case = new_case(hub, "Bekymring")
    cpr = hub.services.cases.snapshot(case.id, "test").parties[0].cpr
    refused = acadre.file_document(
        title="Ikke en PDF",
        content=b"GIF89a not a pdf at all",
        file_name="scan.pdf",
        mime_type="application/pdf",
        cpr=cpr,
    )
    esdh.file_on(None, title="Svar fra mor", cpr=cpr)

    polled = cli(hub, "sources", "poll")
    assert polled.exit_code == 0
    assert "esdh_acadre: 1 received (1 case), 0 already received, 1 refused" in polled.stdout
    assert (
        f"refused acadre:document:{refused}: files[0].mime_type: the file is declared as "
        "application/pdf, but it does not begin like one" in polled.stdout
    )
    assert set(documents_titled(hub, case)) == {"Svar fra mor"}
    assert cpr not in polled.output

    again = cli(hub, "sources", "poll")
    assert "esdh_acadre: 0 received, 0 already received, 0 refused" in again.stdout
