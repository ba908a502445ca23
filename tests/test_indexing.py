"""Indexing cost: what indexing loads and embeds, and that the shortcuts change no result."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import BUNDLED, ROOT


def test_punkt_loads_without_the_rest_of_nltk():
    """Sentence splitting loads Punkt's modules only, and a later ``import nltk`` still works
    and splits the same way."""
    code = f"""
import sys
from index.loaders import load_article
ours = [(s.start, s.end) for s in load_article({str(BUNDLED)!r}).sentences]
assert "scipy" not in sys.modules and "nltk" not in sys.modules, sorted(sys.modules)
import nltk
from nltk.tokenize import PunktTokenizer
from index import sentences
sentences._build_punkt.cache_clear()
again = [(s.start, s.end) for s in load_article({str(BUNDLED)!r}).sentences]
assert again == ours and len(ours) > 40
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
