"""Secrets in settings, given by reference to the environment and never inline.

A settings field typed :class:`EnvSecret` holds the NAME of an environment
variable (by convention the field's name ends in ``_env``); validation reads the
variable and keeps its value out of ``repr`` and serialisation. A value that does
not look like a variable name is refused, so a secret pasted into the TOML file
is never accepted. It lives in ``ports`` so that a vendor's plugin can use it
without importing the hub's adapters::

    class Settings(BaseModel):
        endpoint: HttpUrl
        token_env: EnvSecret     # token_env = "MYESDH_TOKEN"
"""

from __future__ import annotations

import os
import re
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class EnvSecret:
    """The value of a named environment variable, read when the settings are validated."""

    __slots__ = ("_value", "variable")

    def __init__(self, variable: str, value: str) -> None:
        self.variable = variable
        self._value = value

    @classmethod
    def from_environment(cls, variable: str) -> EnvSecret:
        """Read ``variable``; a missing or empty variable is a validation error."""
        if not _VARIABLE_NAME.match(variable):
            raise PydanticCustomError(
                "env_secret_name",
                "must name an environment variable (like ACADRE_TOKEN); "
                "a secret is never written in the configuration itself",
            )
        value = os.environ.get(variable)
        if not value:
            raise PydanticCustomError(
                "env_secret_unset",
                "environment variable {variable} is not set",
                {"variable": variable},
            )
        return cls(variable, value)

    @classmethod
    def _coerce(cls, value: object) -> EnvSecret:
        if isinstance(value, EnvSecret):
            return value
        if isinstance(value, str):
            return cls.from_environment(value.strip())
        raise PydanticCustomError("env_secret_type", "must be the name of an environment variable")

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"EnvSecret({self.variable!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EnvSecret):
            return NotImplemented
        return (self.variable, self._value) == (other.variable, other._value)

    def __hash__(self) -> int:
        return hash(self.variable)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.json_or_python_schema(
            json_schema=core_schema.no_info_after_validator_function(
                cls.from_environment, core_schema.str_schema(strip_whitespace=True)
            ),
            python_schema=core_schema.no_info_plain_validator_function(cls._coerce),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda secret: secret.variable
            ),
        )
