"""All settings in one typed object, read from the environment (and a ``.env`` file).

Every variable is prefixed ``QUOTEBOT_`` except ``DISCORD_TOKEN``; the LLM key may also come from
``OPENAI_API_KEY``. Secrets have no defaults and are never printed (``SecretStr``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from index.settings import BUNDLED_ARTICLE, IndexSettings

__all__ = ["BUNDLED_ARTICLE", "Settings"]


class Settings(IndexSettings):
    """The storage settings (:class:`index.settings.IndexSettings`) plus answering and Discord."""

    # Storage (data_dir, chroma_url, collection, bundled_article: see IndexSettings)
    default_article: str | None = Field(None, description="Article answered when none is named "
                                        "(default: the bundled one).")

    # Answering
    max_question_chars: int = Field(500, ge=1)
    max_quotes: int = Field(3, ge=1, le=10)
    min_confidence: float | None = Field(
        None, ge=0.0, le=1.0, description="Abstain below this confidence (default: the "
        "threshold fitted with the scorer, bot/scorer.json; see docs/scorer.md).")

    # LLM (optional; "none" is fully offline and extractive)
    llm: Literal["none", "openai", "ollama"] = "none"
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("QUOTEBOT_LLM_API_KEY", "OPENAI_API_KEY"))
    llm_timeout: float = Field(30.0, gt=0)
    llm_max_tokens: int = Field(512, ge=16)

    # Discord
    discord_token: SecretStr | None = Field(None, validation_alias=AliasChoices("DISCORD_TOKEN"))
    sync_commands: Literal["off", "global", "guild"] = Field(
        "off", description="Sync slash commands at start: off (use the /sync owner command), "
        "global, or guild (copy to dev_guild for instant updates).")
    dev_guild: int | None = None
    cooldown_rate: int = Field(3, ge=1, description="Questions a user may ask per cooldown_per.")
    cooldown_per: float = Field(30.0, gt=0, description="Cooldown window in seconds.")
    log_level: str = "INFO"
    allow_private_urls: bool = Field(
        False, description="Let /article-add fetch URLs on this machine or its private network "
        "(off: only public internet addresses, so members cannot make the bot read internal "
        "services).")

    # Sharding (more than 2,500 servers): N processes, each running some of the shards, all on
    # one Chroma server (chroma_url). Both set, or neither (one process, one shard).
    shard_count: int | None = Field(None, ge=1, description="Total number of shards.")
    shard_ids: Annotated[list[int] | None, NoDecode] = Field(
        None, description="The shards this process runs, e.g. 0,1 (or [0, 1]).")

    @field_validator("llm_url")
    @classmethod
    def _no_trailing_slash_url(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _comma_list(cls, value):
        if isinstance(value, str):
            text = value.strip().strip("[]")
            return [int(part) for part in text.replace(",", " ").split()] if text else None
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> "Settings":
        if (self.shard_count is None) != (self.shard_ids is None):
            raise ValueError("QUOTEBOT_SHARD_COUNT and QUOTEBOT_SHARD_IDS go together: set "
                             "both (e.g. 2 and 0,1) or neither")
        if self.shard_ids is not None:
            wrong = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if wrong:
                raise ValueError(f"shard ids {wrong} are outside 0..{self.shard_count - 1} "
                                 f"(QUOTEBOT_SHARD_COUNT={self.shard_count})")
            if len(set(self.shard_ids)) != len(self.shard_ids):
                raise ValueError("QUOTEBOT_SHARD_IDS names a shard twice")
        return self

    @property
    def sharded(self) -> bool:
        return self.shard_count is not None
