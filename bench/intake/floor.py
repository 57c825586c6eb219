"""The floor: a bare ASGI handler doing only what any intake must do with an envelope.

It reads the body, parses the envelope with the same hardened lxml settings, decodes
the inline base64, hashes the bytes, writes the file and fsyncs it, and answers 201.
No authentication, no validation against the schema, no database, no placement.
Served by the same uvicorn as sagshub: ``uvicorn bench.intake.floor:app``, writing
into ``$FLOOR_DIR``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from lxml import etree

NS = "{urn:sagshub:intake:1}"
OUT = Path(os.environ.get("FLOOR_DIR", "floor-files"))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def store(body: bytes) -> str:
    root = etree.fromstring(body, _parser())
    inline = root.find(f"{NS}Variants/{NS}Variant/{NS}Part/{NS}Inline")
    data = base64.b64decode("".join(inline.text.split()))
    digest = hashlib.sha256(data).hexdigest()
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / digest).open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    return digest


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    digest = store(b"".join(chunks))
    await send(
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps({"sha256": digest}).encode()})
