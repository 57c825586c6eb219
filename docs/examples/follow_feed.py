"""Follow sagshub's change feed and keep a locked copy of every version of every case.

    python follow_feed.py https://sagshub.kommune.example <api-key> state.json cases/

The cursor is stored only after a page's copies are stored, so a crash repeats at
most one page (a copy is keyed by case and version, so storing it twice is harmless)
and never skips a change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
from lxml import etree

SH = "{urn:sagshub:oio:udvidelse:1}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def follow(client: httpx.Client, state: Path, store: Path) -> int:
    """Store every version registered after the saved cursor; return how many."""
    cursor = json.loads(state.read_text())["cursor"] if state.exists() else 0
    stored = 0
    while True:
        response = client.get("/oio/sag/aendringer", params={"efter": cursor, "antal": 100})
        page = etree.fromstring(response.raise_for_status().content, PARSER)
        for change in page.iterfind(f"{SH}Aendring"):
            case = change.findtext(f"{SH}SagUUID")
            version = change.findtext(f"{SH}Version")
            registered = change.findtext(f"{SH}Registreringstidspunkt")
            copy = client.get(f"/oio/sag/{case}", params={"registreringstid": registered})
            (store / f"{case}-{version}.xml").write_bytes(copy.raise_for_status().content)
            stored += 1
        cursor = int(page.findtext(f"{SH}NaesteCursor"))
        state.write_text(json.dumps({"cursor": cursor}))
        if page.findtext(f"{SH}Flere") != "true":
            return stored


if __name__ == "__main__":
    base_url, key, state_file, folder = sys.argv[1:5]
    Path(folder).mkdir(parents=True, exist_ok=True)
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as http:
        print(follow(http, Path(state_file), Path(folder)), "new versions")
