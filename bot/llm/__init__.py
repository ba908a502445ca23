"""The optional language-model layer (``QUOTEBOT_LLM=openai|ollama``).

The model may phrase a short answer; every quote shown is checked word for word against the
paragraph it cites (see :mod:`bot.llm.verify`), and the extractive answer is the fallback.
"""

from bot.llm.answerer import LLMAnswerer

__all__ = ["LLMAnswerer"]
