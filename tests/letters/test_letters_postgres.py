"""Letters on PostgreSQL, where the job queue is procrastinate: recorded and queued in one
transaction, sent by the worker with the letter's message uuid, a receipt applied once."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from hub import create_app
from tests.api.conftest import make_hub
from tests.config_files import isolate_environment
from tests.databases import postgres_database
from tests.letters.hubs import a4_pdf, desk_for, letter_config

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_desk(tmp_path, platform, monkeypatch):
    isolate_environment(monkeypatch)
    with postgres_database() as database:
        url = database.url.render_as_string(hide_password=False)
        hub = make_hub(
            tmp_path,
            f'[database]\nurl = "{url}"\n\n'
            + letter_config(platform.base_url, platform.sts_url + "token"),
        )
        try:
            with TestClient(create_app(hub)) as http:
                yield desk_for(hub, http, platform)
        finally:
            hub.close()


def test_a_letter_goes_out_through_procrastinate(pg_desk):
    desk = pg_desk
    assert type(desk.hub.jobs).__name__ == "ProcrastinateWorker"
    desk.person("0101901234", registered=True)
    case = desk.case_for("0101901234")
    letter = desk.send(case["id"], {"title": "Afgørelse"}, pdf=a4_pdf()).json()
    assert desk.platform.sf1601.accepted == {}

    desk.hub.jobs.run_pending()
    assert desk.letter(letter["id"])["status"] == "sent"
    assert list(desk.platform.sf1601.accepted) == [letter["message_uuid"]]
    answers = desk.deliver_receipts(["Afleveret Digital Post"], repeat=2)  # redelivered
    assert [a.status_code for a in answers] == [200, 200]
    history = desk.letter(letter["id"])
    assert history["status"] == "delivered"
    assert sum(e["source"] == "receipt" for e in history["history"]) == 1
