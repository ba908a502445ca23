"""Where the index lives: the storage settings, read from the environment (and ``.env``).

``index`` needs only these; the bot's :class:`bot.settings.Settings` extends them with the
answering and Discord settings, so both layers read the same ``QUOTEBOT_*`` variables.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_ARTICLE = Path(__file__).resolve().parent / "articles" / "china-russia-solidarity.txt"


class IndexSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QUOTEBOT_", env_file=".env", extra="ignore",
                                      populate_by_name=True)

    data_dir: Path = Field(Path("data"), description="Where the embedded Chroma store lives.")
    chroma_url: str | None = Field(None, description="http://host:port of a Chroma server; "
                                   "when set, it is used instead of the embedded store.")
    collection: str = "quotebot"
    bundled_article: Path = BUNDLED_ARTICLE

    @field_validator("chroma_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @property
    def bundled_article_id(self) -> str:
        """The bundled article's id: its file's stem, as ``python -m index build`` names it."""
        from index.article import slugify

        return slugify(Path(self.bundled_article).stem)

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"
