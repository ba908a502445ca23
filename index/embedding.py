"""The shipped embedder (:class:`index.minilm.MiniLM`) as a LlamaIndex ``BaseEmbedding``.

The store and the answering path use :class:`~index.minilm.MiniLM` directly, so a question is
answered without importing LlamaIndex; this adapter is for code that hands the model to
LlamaIndex (a vector index, a retriever) or wants its ``get_query_embedding`` interface. Both
compute the same vectors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.minilm import DIMENSION, MAX_TOKENS, MODEL_NAME, TOKENIZER, MiniLM

__all__ = ["DIMENSION", "MAX_TOKENS", "MODEL_NAME", "TOKENIZER", "MiniLM", "MiniLMEmbedding"]


class MiniLMEmbedding(BaseEmbedding):
    """Mean-pooled, L2-normalised all-MiniLM-L6-v2 vectors computed with onnxruntime."""

    model_name: str = MODEL_NAME
    embed_batch_size: int = 16
    _encoder: Any = PrivateAttr(default_factory=MiniLM)

    def preload(self) -> "MiniLMEmbedding":
        """Start loading the model in a background thread (see :meth:`MiniLM.preload`)."""
        self._encoder.preload()
        return self

    def embed(self, texts: list[str], progress=None) -> np.ndarray:
        """A ``(len(texts), 384)`` float32 array of unit vectors (see :meth:`MiniLM.embed`)."""
        return self._encoder.embed(texts, self.embed_batch_size, progress)

    def order(self, texts: list[str]) -> list[int]:
        """The order :meth:`embed` batches the texts in (see :meth:`MiniLM.order`)."""
        return self._encoder.order(texts)

    def token_spans(self, text: str, skip: frozenset[str] = frozenset()) -> list:
        return self._encoder.token_spans(text, skip)

    def token_vectors(self, texts: list[str], skip: frozenset[str] = frozenset()) -> list:
        """Each text's contextual word-piece vectors (see :meth:`MiniLM.token_vectors`)."""
        return self._encoder.token_vectors(texts, skip, self.embed_batch_size)

    # LlamaIndex's interface
    def _get_query_embedding(self, query: str) -> list[float]:
        return self.embed([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.embed(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)
