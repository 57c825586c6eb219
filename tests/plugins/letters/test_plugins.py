from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pluggy
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from lxml import etree

from core.errors import InvalidValue
from plugins.eboks import plugin as eboks_plugin
from plugins.eboks.channel import DigitalPostChannel
from plugins.eboks.receipt_endpoint import RECEIPTS_PATH
from plugins.eboks.receipts import SAGDOK_NS
from plugins.eboks.replies import LetterReplyRule
from plugins.print import plugin as print_plugin
from plugins.print.channel import LocalPrintChannel, RemotePrintChannel
from ports import hookspecs
from ports.integrations import LetterStatus
from tests.fakes.sf1601.receipts import ReceiptReplayer
from tests.plugins.letters.builders import CPR, pdf_bytes
from tests.plugins.letters.memory_receipts import MemoryReceiptStore

RETURN = {"name": "Roskilde Kommune", "lines": ["Rådhusbuen 1", "4000 Roskilde"]}


@dataclass
class Services:
    standards_dir: Path
    letter_receipts: Any = None


@pytest.fixture
def manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    pm.register(eboks_plugin, name="eboks")
    pm.register(print_plugin, name="print")
    pm.check_pending()
    yield pm
    eboks_plugin.runtime.services = None


def registrations(pm) -> dict[str, tuple]:
    found: dict[str, tuple] = {}

    def register(port, name, factory, settings_model=None):
        found[name] = (port, factory, settings_model)

    pm.hook.sagshub_register_adapters(register=register)
    return found


def build(pm, name: str, settings: dict, services: Services):
    port, factory, model = registrations(pm)[name]
    assert port == "letters"
    return factory(model.model_validate(settings) if model else None, services)


def test_the_plugins_register_three_letter_channels(manager):
    assert {name: port for name, (port, _, _) in registrations(manager).items()} == {
        "eboks": "letters",
        "print": "letters",
        "local_print": "letters",
    }


def test_the_factories_build_the_channels_from_their_settings(manager, standards_dir, platform):
    services = Services(standards_dir)
    sf1601 = {"base_url": platform.base_url, "token_url": platform.sts_url + "token"}
    eboks = build(manager, "eboks", sf1601, services)
    with_fallback = build(
        manager,
        "eboks",
        {**sf1601, "print_fallback": {"forsendelse_type": 265, "return_address": RETURN}},
        services,
    )
    remote = build(
        manager,
        "print",
        {**sf1601, "forsendelse_type": 265, "sides": "Simplex", "return_address": RETURN},
        services,
    )
    local = build(manager, "local_print", {}, services)
    assert isinstance(eboks, DigitalPostChannel) and eboks.print_fallback is None
    assert with_fallback.print_fallback is not None
    assert (
        isinstance(remote, RemotePrintChannel) and remote.builder.options.sides.value == "Simplex"
    )
    assert isinstance(local, LocalPrintChannel)
    assert remote.name == "print" and eboks.name == "eboks" and local.name == "local_print"


def test_a_certificate_named_by_an_unset_env_var_is_a_clear_error(
    manager, standards_dir, monkeypatch
):
    monkeypatch.delenv("SAGSHUB_TEST_SF1601_CERT", raising=False)
    settings = {
        "token_url": "https://sts.example/token",
        "client_cert_env": "SAGSHUB_TEST_SF1601_CERT",
    }
    with pytest.raises(InvalidValue) as caught:
        build(manager, "eboks", settings, Services(standards_dir))
    assert caught.value.field == "client_cert_env"


def test_settings_refuse_an_inline_secret_field(manager):
    _, _, model = registrations(manager)["eboks"]
    assert "client_cert_env" in model.model_fields
    assert not any(name in model.model_fields for name in ("password", "client_cert", "secret"))


def test_the_reply_rule_is_contributed(manager):
    rules = [rule for rules in manager.hook.sagshub_placement_rules() for rule in rules]
    assert [type(rule) for rule in rules] == [LetterReplyRule]


def retur_code(response) -> int:
    return int(etree.fromstring(response.content).findtext(f".//{{{SAGDOK_NS}}}StatusKode"))


def test_before_the_hub_offers_a_receipt_store_receipts_are_answered_50(manager, standards_dir):
    routes = [r for routes in manager.hook.sagshub_route_handlers() for r in routes]
    manager.hook.sagshub_startup(services=Services(standards_dir))
    with TestClient(Litestar(route_handlers=routes)) as client:
        answer = client.post(RECEIPTS_PATH, content=b"<x/>")
    assert (answer.status_code, retur_code(answer)) == (500, 50)


def test_a_letter_sent_through_the_plugin_gets_its_receipts_through_the_mounted_endpoint(
    manager, standards_dir, platform, world
):
    store = MemoryReceiptStore()
    services = Services(standards_dir, letter_receipts=store)
    manager.hook.sagshub_startup(services=services)
    settings = {"base_url": platform.base_url, "token_url": platform.sts_url + "token"}
    channel = build(manager, "eboks", settings, services)
    platform.sf1601.registered.add(CPR)
    party = world.person()
    letter = world.letter(party, world.file(pdf_bytes(), name="a.pdf", mime="application/pdf"))
    assert channel.accepts(party) is True
    assert channel.send(letter, world.open_part).status is LetterStatus.SENT
    store.letters[letter.message_uuid] = LetterStatus.SENT

    replayer = ReceiptReplayer(standards_dir)
    deliveries = replayer.receipts_for(
        platform.sf1601.accepted.values(),
        ["Modtaget Digital Post", "Afleveret Digital Post"],
        datetime(2024, 6, 1, 12, 0, tzinfo=UTC),
    )
    routes = [r for routes in manager.hook.sagshub_route_handlers() for r in routes]
    with TestClient(Litestar(route_handlers=routes)) as client:
        answers = replayer.replay(
            deliveries, lambda body: client.post(RECEIPTS_PATH, content=body), repeat=2
        )
    assert [retur_code(a) for a in answers] == [20, 20, 20, 20]
    assert store.letters[letter.message_uuid] is LetterStatus.DELIVERED
    assert [r.status_code for r in store.applied] == [
        "Modtaget Digital Post",
        "Afleveret Digital Post",
    ]
