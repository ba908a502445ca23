"""Prompts are files, loaded by name: ``load_prompt("answer", question=..., passages=...)``.

A prompt file ``<name>.md`` holds a ``[system]`` section and a ``[user]`` section (a file with no
section header is all user message). Variables are written ``$name`` or ``${name}`` (``$$`` is a
literal dollar sign). A variable the file uses but the caller does not give is an error, and so
is a variable the caller gives but the file does not use (it is almost always a typo).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_SECTION = re.compile(r"^\[(system|user)\]\s*$", re.MULTILINE)


class PromptError(Exception):
    """A prompt file is missing, malformed, or a variable is missing or unknown."""


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str
    user: str

    def messages(self) -> list[dict[str, str]]:
        """Chat messages as ``{"role", "content"}`` dicts, system first when there is one."""
        out = [{"role": "system", "content": self.system}] if self.system else []
        return out + [{"role": "user", "content": self.user}]


def names() -> list[str]:
    return sorted(p.name[:-3] for p in resources.files(__package__).iterdir()
                  if p.name.endswith(".md"))


@lru_cache(maxsize=None)
def _read(name: str) -> dict[str, string.Template]:
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
        raise PromptError(f"Bad prompt name: {name!r}")
    path = resources.files(__package__) / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"No prompt called {name!r} (known: {', '.join(names())})")
    text = path.read_text(encoding="utf-8")
    parts = _SECTION.split(text)
    sections = {"system": "", "user": parts[0]} if len(parts) == 1 else {}
    if parts[0].strip() and len(parts) > 1:
        raise PromptError(f"Prompt {name!r} has text before its first section header")
    for role, body in zip(parts[1::2], parts[2::2]):
        if role in sections:
            raise PromptError(f"Prompt {name!r} has two [{role}] sections")
        sections[role] = body
    if not sections.get("user", "").strip():
        raise PromptError(f"Prompt {name!r} has no [user] section")
    return {role: string.Template(body.strip()) for role, body in sections.items()}


def variables(name: str) -> set[str]:
    """The variables a prompt file uses."""
    found: set[str] = set()
    for template in _read(name).values():
        for match in template.pattern.finditer(template.template):
            var = match.group("named") or match.group("braced")
            if var:
                found.add(var)
            elif match.group("invalid") is not None:
                raise PromptError(f"Prompt {name!r} has a stray '$' (write $$ for a dollar sign)")
    return found


def load_prompt(name: str, /, **values: object) -> Prompt:
    """Render prompt ``name`` with ``values``; every variable must be given, and only those."""
    used = variables(name)
    missing, unknown = used - values.keys(), values.keys() - used
    if missing:
        raise PromptError(f"Prompt {name!r} needs {', '.join(sorted(missing))}")
    if unknown:
        raise PromptError(f"Prompt {name!r} does not use {', '.join(sorted(unknown))}")
    rendered = {role: t.substitute({k: str(v) for k, v in values.items()})
                for role, t in _read(name).items()}
    return Prompt(name, rendered.get("system", ""), rendered["user"])
