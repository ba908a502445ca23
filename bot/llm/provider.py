"""Builds the LlamaIndex LLM named by the settings. Nothing here touches the network.

- ``openai``: any OpenAI-compatible chat completions API (OpenAI itself, a hosted compatible API,
  vLLM, llama.cpp's server, LM Studio, Ollama's ``/v1``) through ``OpenAILike``.
- ``ollama``: Ollama's own ``/api/chat`` through LlamaIndex's ``Ollama``, with JSON mode on.

Both get the timeout from the settings and make one attempt (no retries): a slow or failing model
must not hold a question up, because the extractive answer is always there to fall back on.
"""

from __future__ import annotations

from typing import Any

from bot.settings import Settings

DEFAULT_OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_OLLAMA_URL = "http://localhost:11434"
DEFAULT_OLLAMA_MODEL = "llama3.2"
# The context we need: the prompt (about 3,000 tokens at most, see answerer) and the reply. Sent to
# Ollama as num_ctx, so a home machine does not allocate a model's full 128k context.
CONTEXT_WINDOW = 8192
# Local OpenAI-compatible servers usually need no key, but the OpenAI client insists on one.
NO_KEY = "not-needed"


class LLMConfigError(ValueError):
    """The LLM settings cannot work (e.g. an unknown provider)."""


def describe(settings: Settings) -> str:
    """Provider, URL and model for logs. Never includes the key."""
    url, model = endpoint(settings)
    return f"{settings.llm} model={model} url={url}"


def endpoint(settings: Settings) -> tuple[str, str]:
    if settings.llm == "openai":
        return settings.llm_url or DEFAULT_OPENAI_URL, settings.llm_model or DEFAULT_OPENAI_MODEL
    if settings.llm == "ollama":
        return settings.llm_url or DEFAULT_OLLAMA_URL, settings.llm_model or DEFAULT_OLLAMA_MODEL
    raise LLMConfigError(f"No language model is configured (llm={settings.llm!r})")


def build_llm(settings: Settings) -> Any:
    """The LlamaIndex LLM for ``settings.llm`` ("openai" or "ollama")."""
    url, model = endpoint(settings)
    if settings.llm == "openai":
        from llama_index.llms.openai_like import OpenAILike

        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else NO_KEY
        return OpenAILike(
            model=model,
            api_base=url,
            api_key=key,
            is_chat_model=True,
            is_function_calling_model=False,
            timeout=settings.llm_timeout,
            max_retries=0,
            max_tokens=settings.llm_max_tokens,
            temperature=0.0,
            context_window=CONTEXT_WINDOW,
        )
    from llama_index.llms.ollama import Ollama

    headers = None
    if settings.llm_api_key:  # a reverse proxy in front of Ollama may want a bearer token
        headers = {"Authorization": f"Bearer {settings.llm_api_key.get_secret_value()}"}
    return Ollama(
        model=model,
        base_url=url,
        request_timeout=settings.llm_timeout,
        json_mode=True,
        temperature=0.0,
        context_window=CONTEXT_WINDOW,
        additional_kwargs={"num_predict": settings.llm_max_tokens},
        headers=headers,
    )


def prepare(llm: Any) -> None:
    """Create the client's HTTP connection pool and import what its first request would, still
    without any network, so that the first question's timeout is spent waiting for the model."""
    get_client = getattr(llm, "_get_client", None)  # OpenAI / OpenAILike
    if callable(get_client):
        _ = get_client().chat.completions
    elif hasattr(llm, "client"):  # Ollama
        _ = llm.client
