"""A stand-in for a local Ollama model, so drafting runs and is tested with no model installed.

It answers ``GET /api/tags`` and ``POST /api/chat`` as Ollama does
(``stream: false``), with deterministic drafts built from the tech's notes in
the prompt: good enough to show the flow, never mistaken for a real model.
Faults on the route names ``ollama_tags`` and ``ollama_chat`` make it time
out, drop the connection, or answer prose instead of the JSON asked for.
"""

from __future__ import annotations

import json
from typing import Any

MODEL_NAME = "qwen3:14b"
ROUTE_NAMES = ("ollama_tags", "ollama_chat")
#: What a model that ignores the format sometimes answers.
PROSE = "Sure! Here's a friendly update for your customer: the printer works again."


def tags() -> dict[str, Any]:
    return {"models": [{"name": MODEL_NAME, "model": MODEL_NAME, "details": {"family": "simulated"}}]}


def _notes(user: str) -> list[str]:
    """The tech's notes: the lines after the prompt's "notes on what ..." line."""
    lines = user.splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if line.startswith("The tech's notes")), len(lines))
    return [line.strip().lstrip("-• ").strip() for line in lines[start:] if line.strip() and not line.startswith("(")]


def _subject(user: str) -> str:
    return next((line.split(":", 1)[1].strip() for line in user.splitlines() if line.startswith("Ticket subject:")), "")


def answer(body: dict[str, Any], *, prose: bool = False) -> dict[str, Any]:
    messages = body.get("messages") or []
    system = next((m.get("content", "") for m in messages if m.get("role") == "system"), "")
    user = next((m.get("content", "") for m in messages if m.get("role") == "user"), "")
    notes, subject = _notes(user), _subject(user)
    done = notes or [f"Looked into “{subject}”"]
    if prose:
        content = PROSE
    elif "line_item_description" in system:
        content = json.dumps({
            "comment_subject": "Resolution",
            "comment_body": "\n".join(["What we did:", *(f"- {n}" for n in done), "Everything is working again."]),
            "line_item_description": (done[0][:1].upper() + done[0][1:])[:80],
            "preview": f"Resolution: {len(done)} step{'s' if len(done) != 1 else ''} and the outcome.",
        })
    else:
        content = json.dumps({
            "subject": "Update",
            "body": "\n".join(["Where things stand:", *(f"- {n}" for n in done)]),
            "preview": f"Update on “{subject}”.",
        })
    return {"model": body.get("model") or MODEL_NAME, "created_at": "2026-01-01T00:00:00Z",
            "message": {"role": "assistant", "content": content}, "done": True, "done_reason": "stop"}
