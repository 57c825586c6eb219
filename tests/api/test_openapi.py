"""Every endpoint is on the OpenAPI page with an explicit operation id and typed bodies."""

from __future__ import annotations

from litestar.handlers import HTTPRouteHandler

EXPECTED = {
    ("post", "/oio/dokument"): "deliverEnvelope",
    ("post", "/api/documents"): "deliverDocument",
    ("get", "/api/documents/{document_id}"): "getDocument",
    ("get", "/api/documents/{document_id}/parts/{sha256}"): "downloadPart",
    ("post", "/api/cases/search"): "searchCases",
    ("post", "/api/cases"): "createCase",
    ("get", "/api/cases/{case_id}"): "getCase",
    ("get", "/api/cases"): "listPartyCases",
    ("get", "/api/cases/changes"): "getCaseChanges",
    ("get", "/oio/sag/{case_id}"): "getOioCase",
    ("get", "/oio/sag"): "listOioPartyCases",
    ("get", "/oio/sag/aendringer"): "getOioCaseChanges",
    ("get", "/oio/dokument/{document_id}"): "getOioDocument",
    ("get", "/oio/dokument/{document_id}/dele/{sha256}"): "downloadOioPart",
    ("post", "/api/cases/{case_id}/activities"): "addActivity",
    ("post", "/api/cases/{case_id}/journal-notes"): "addJournalNote",
    ("get", "/api/inbox"): "listInbox",
    ("post", "/api/inbox/{item_id}/placement"): "placeInboxItem",
    ("get", "/api/notices"): "listNotices",
    ("post", "/api/notices/{notice_id}/read"): "markNoticeRead",
    ("post", "/api/cases/{case_id}/letters"): "sendLetter",
    ("get", "/api/cases/{case_id}/letters"): "listLetters",
    ("get", "/api/letters/{letter_id}"): "getLetter",
    ("get", "/api/letters/{letter_id}/pdf"): "printLetter",
    ("get", "/api/cases/{case_id}/mailto"): "mailtoLink",
    ("post", "/api/cases/{case_id}/emails"): "fileEmail",
}


def test_every_api_handler_names_its_operation(http):
    handlers = [
        handler
        for route in http.app.routes
        for handler in getattr(route, "route_handlers", [])
        if isinstance(handler, HTTPRouteHandler)
        and route.path.startswith(("/api", "/oio"))
        and handler.http_methods != {"OPTIONS"}
    ]
    assert len(handlers) == len(EXPECTED)
    assert all(isinstance(handler.operation_id, str) for handler in handlers)


def test_the_openapi_page_lists_each_operation_with_its_schemas(http):
    spec = http.get("/schema/openapi.json").json()
    found = {
        (method, path): operation["operationId"]
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if path.startswith(("/api", "/oio"))
    }
    assert found == EXPECTED

    for (method, path), _ in EXPECTED.items():
        operation = spec["paths"][path][method]
        if method == "post" and not path.endswith("/read"):
            assert operation["requestBody"]["content"], path
        success = next(code for code in operation["responses"] if code.startswith("2"))
        if success != "204" and "Part" not in operation["operationId"]:
            assert operation["responses"][success]["content"], path


def test_the_request_and_response_models_are_components(http):
    schemas = http.get("/schema/openapi.json").json()["components"]["schemas"]
    for name in ("ReceiptOut", "CaseOut", "NewCaseIn", "PlaceIn", "InboxPage", "PlacementOut"):
        assert name in schemas
    assert schemas["NewCaseIn"]["properties"]["kle_subject"]["type"] == "string"
