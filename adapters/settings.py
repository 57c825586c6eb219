"""A municipality's configuration: one TOML file, overridable from the environment.

The file is named by the CLI's ``--config``, else by ``SAGSHUB_CONFIG``, else it
is ``./sagshub.toml``. Any setting can be overridden by an environment variable
with the ``SAGSHUB_`` prefix and ``__`` between levels
(``SAGSHUB_DATABASE__URL``, ``SAGSHUB_PLUGINS__ESDH_ACADRE__ENDPOINT``).
Relative paths (an SQLite file, the blob folder, the standards folder) are taken
relative to the folder of the configuration file, so a municipality's folder can
be moved as a whole. Every mistake is reported as one :class:`ConfigError` line
naming the file, the dotted key and what was expected.

Secrets are never written in the file: a secret setting names the environment
variable that holds it (:class:`ports.secrets.EnvSecret`).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from core.errors import DomainError
from core.rules import PlacementPolicy
from core.values import Cvr
from ports.secrets import EnvSecret

ENV_PREFIX = "SAGSHUB_"
CONFIG_ENV = "SAGSHUB_CONFIG"
DEFAULT_CONFIG = Path("sagshub.toml")
REPOSITORY = Path(__file__).resolve().parents[1]


class ConfigError(Exception):
    """The configuration cannot be used; ``str()`` is the one line to show."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MunicipalitySettings(_Section):
    name: str = Field(min_length=1)
    cvr: Cvr
    code: str | None = Field(default=None, pattern=r"^\d{3}$", description="kommunekode")


class DatabaseSettings(_Section):
    url: str = "sqlite:///sagshub.db"
    password_env: EnvSecret | None = Field(
        default=None, description="the environment variable holding the database password"
    )

    @field_validator("url")
    @classmethod
    def _no_inline_password(cls, url: str) -> str:
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise ValueError(
                "not a database URL (sqlite:///file.db or postgresql+psycopg://…)"
            ) from None
        if parsed.password:
            raise ValueError(
                "the URL holds a password; name its environment variable in "
                "database.password_env instead"
            )
        return url

    @property
    def effective_url(self) -> str:
        """The URL to connect with: ``url`` with the password from the environment."""
        if self.password_env is None:
            return self.url
        url = make_url(self.url).set(password=self.password_env.get_secret_value())
        return url.render_as_string(hide_password=False)

    def relative_to(self, folder: Path) -> DatabaseSettings:
        """A relative SQLite file is taken relative to ``folder``."""
        url = make_url(self.url)
        database = url.database
        if not url.drivername.startswith("sqlite") or database in (None, "", ":memory:"):
            return self
        if database.startswith("file:") or Path(database).is_absolute():
            return self
        resolved = url.set(database=str((folder / database).resolve()))
        return self.model_copy(update={"url": resolved.render_as_string(hide_password=False)})


class BlobSettings(_Section):
    path: Path = Path("blobs")


class PluginsSettings(BaseModel):
    """``enabled`` plus one ``[plugins.<name>]`` table per plugin, kept raw here:
    each plugin validates its own table with its own settings model."""

    model_config = ConfigDict(extra="allow")

    enabled: list[str] = Field(default_factory=list)

    @field_validator("enabled")
    @classmethod
    def _unique(cls, names: list[str]) -> list[str]:
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"{', '.join(duplicates)} listed more than once")
        return names

    def block(self, plugin: str) -> dict[str, Any] | None:
        """The raw ``[plugins.<plugin>]`` table, or None when there is none."""
        value = (self.model_extra or {}).get(plugin)
        return value if isinstance(value, dict) else None

    def blocks(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class PortsSettings(_Section):
    """Which registered adapters the hub uses for each port (see ``adapters.plugins.PORTS``)."""

    case_export: list[str] = Field(default_factory=list)
    document_export: list[str] = Field(default_factory=list)
    document_source: list[str] = Field(default_factory=list)
    letters: list[str] = Field(default_factory=list, description="tried in order")
    archive: list[str] = Field(default_factory=list)
    notifier: str = "none"


class PolicySettings(PlacementPolicy):
    model_config = ConfigDict(extra="forbid")


class JobsSettings(_Section):
    """The job queue (exports to the adapters bound to ``case_export``/``document_export``)."""

    queue: Literal["auto", "outbox", "procrastinate"] = Field(
        default="auto",
        description="auto: procrastinate on PostgreSQL, the embedded outbox on SQLite",
    )
    worker_in_serve: bool = Field(
        default=True, description="run a worker inside `sagshub serve` (else: `sagshub worker`)"
    )
    max_attempts: int = Field(default=8, ge=1, le=100)
    backoff_base_seconds: float = Field(default=30.0, gt=0)
    backoff_cap_seconds: float = Field(default=3600.0, gt=0)
    poll_seconds: float = Field(default=2.0, gt=0, description="how often the outbox is polled")


class ServerSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)


def _default_standards_dir() -> Path | None:
    candidate = (REPOSITORY.parent / "shared" / "standards").resolve()
    return candidate if candidate.is_dir() else None


class Settings(BaseSettings):
    """The whole configuration of one municipality's hub. Build it with :func:`load_settings`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid"
    )
    config_file: ClassVar[Path | None] = None

    municipality: MunicipalitySettings
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    blobs: BlobSettings = Field(default_factory=BlobSettings)
    standards_dir: Path | None = Field(
        default_factory=_default_standards_dir,
        description="the folder of official schemas (env SAGSHUB_STANDARDS_DIR)",
    )
    plugins: PluginsSettings = Field(default_factory=PluginsSettings)
    ports: PortsSettings = Field(default_factory=PortsSettings)
    policy: PolicySettings = Field(default_factory=PolicySettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    jobs: JobsSettings = Field(default_factory=JobsSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then the TOML file; no .env or secret files."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    def relative_to(self, folder: Path) -> Settings:
        """Resolve relative paths against ``folder`` (the configuration file's)."""

        def resolve(path: Path) -> Path:
            return path if path.is_absolute() else (folder / path).resolve()

        return self.model_copy(
            update={
                "database": self.database.relative_to(folder),
                "blobs": self.blobs.model_copy(update={"path": resolve(self.blobs.path)}),
                "standards_dir": self.standards_dir and resolve(self.standards_dir),
            }
        )


def config_path(given: Path | str | None = None) -> Path:
    """The configuration file to read: ``given``, else ``$SAGSHUB_CONFIG``, else ./sagshub.toml."""
    if given is not None:
        return Path(given)
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def load_settings(path: Path | str | None = None) -> Settings:
    """Read and validate the configuration; any problem raises one :class:`ConfigError` line."""
    path = config_path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file (give --config or set {CONFIG_ENV})")
    bound = type(
        "Settings",
        (Settings,),
        {"model_config": {**Settings.model_config, "toml_file": path}, "config_file": path},
    )
    try:
        settings = bound()
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        problem = describe_validation_error(exc, env_prefix=ENV_PREFIX)
        raise ConfigError(f"{path}: {problem}") from None
    settings = settings.relative_to(path.resolve().parent)
    if settings.standards_dir is not None and not settings.standards_dir.is_dir():
        raise ConfigError(f"{path}: standards_dir: no such folder {settings.standards_dir}")
    return settings


def dotted(location: tuple[int | str, ...]) -> str:
    """``("ports", "letters", 0)`` → ``ports.letters[0]``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _message(error: Any) -> str:
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, DomainError):
        return cause.message
    if error["type"] == "missing":
        return "required, but not given"
    if error["type"] == "extra_forbidden":
        return "unknown setting"
    return str(error["msg"]).removeprefix("Value error, ")


def describe_validation_error(
    exc: ValidationError, *, prefix: tuple[str, ...] = (), env_prefix: str | None = None
) -> str:
    """One line for a pydantic error: the dotted key and what was expected.

    With ``env_prefix``, a key that was set from the environment says so, since the
    file is then not where the bad value came from.
    """
    errors = exc.errors()
    first = errors[0]
    location = (*prefix, *first["loc"])
    line = f"{dotted(location)}: {_message(first)}"
    if env_prefix:
        variable = env_prefix + "__".join(str(p) for p in location).upper()
        if variable in os.environ:
            line += f" (from the environment variable {variable})"
    if len(errors) > 1:
        line += f" (and {len(errors) - 1} more)"
    return line
