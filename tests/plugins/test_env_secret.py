"""EnvSecret: secrets by reference to the environment, never inline."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from ports.secrets import EnvSecret


class VendorSettings(BaseModel):
    token_env: EnvSecret
    password_env: EnvSecret | None = None


def test_resolves_to_the_variables_value(monkeypatch):
    monkeypatch.setenv("VENDOR_TOKEN", "t0ken")
    settings = VendorSettings(token_env="VENDOR_TOKEN")
    assert settings.token_env.get_secret_value() == "t0ken"
    assert settings.token_env.variable == "VENDOR_TOKEN"
    assert settings.password_env is None


def test_the_value_never_shows_in_repr_or_dumps(monkeypatch):
    monkeypatch.setenv("VENDOR_TOKEN", "t0ken")
    settings = VendorSettings(token_env="VENDOR_TOKEN")
    assert "t0ken" not in repr(settings)
    assert settings.model_dump() == {"token_env": "VENDOR_TOKEN", "password_env": None}
    assert "t0ken" not in settings.model_dump_json()


def test_a_missing_variable_names_the_field_and_the_variable(monkeypatch):
    monkeypatch.delenv("VENDOR_TOKEN", raising=False)
    with pytest.raises(ValidationError) as caught:
        VendorSettings(token_env="VENDOR_TOKEN")
    (error,) = caught.value.errors()
    assert error["loc"] == ("token_env",)
    assert error["msg"] == "environment variable VENDOR_TOKEN is not set"


def test_an_empty_variable_counts_as_missing(monkeypatch):
    monkeypatch.setenv("VENDOR_TOKEN", "")
    with pytest.raises(ValidationError, match="VENDOR_TOKEN is not set"):
        VendorSettings(token_env="VENDOR_TOKEN")


@pytest.mark.parametrize("inline", ["s3cr3t-t0ken!", "pass word", "1TOKEN", ""])
def test_an_inline_secret_is_refused(inline):
    with pytest.raises(ValidationError) as caught:
        VendorSettings(token_env=inline)
    assert "never written in the configuration" in caught.value.errors()[0]["msg"]


def test_a_value_that_happens_to_look_like_a_name_is_still_only_a_name(monkeypatch):
    monkeypatch.delenv("hunter2", raising=False)
    with pytest.raises(ValidationError, match="environment variable hunter2 is not set"):
        VendorSettings(token_env="hunter2")
