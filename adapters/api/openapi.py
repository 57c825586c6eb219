"""Request bodies that OpenAPI cannot infer: those read as a stream, not as ``data``."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType

BINARY = Schema(type=OpenAPIType.STRING, format="binary")  # type: ignore[arg-type]


def streamed_body(description: str, content: dict[str, Schema]) -> type[Operation]:
    """An operation class whose request body is documented as ``content`` (media type →
    schema), for a handler that streams the body itself."""
    body = RequestBody(
        content={media: OpenAPIMediaType(schema=schema) for media, schema in content.items()},
        description=description,
        required=True,
    )

    @dataclass
    class StreamedBodyOperation(Operation):
        def __post_init__(self) -> None:
            self.request_body = body

    return StreamedBodyOperation


def form(properties: dict[str, Schema]) -> Schema:
    """A ``multipart/*`` body: the named fields, and any number of files."""
    return Schema(
        type=OpenAPIType.OBJECT,
        properties=properties,
        required=list(properties),
        additional_properties=BINARY,
    )
