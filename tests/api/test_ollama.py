"""The drafting client against the simulator's stand-in model: probe once, JSON validated, failures in words."""

from __future__ import annotations

import httpx
import pytest

from syncro_tui.api.ollama import BillingSuggestion, CommentSuggestion, DraftFailed, OllamaClient

from ..conftest import make_simulator

SYSTEM, USER = "Answer with JSON only.", "Ticket subject: Printer\nThe tech's notes on what to say:\n- replaced toner"


def client(sim, hosts=("http://simulator",), **kw) -> OllamaClient:
    return OllamaClient(list(hosts), transport=httpx.ASGITransport(sim), **kw)


async def test_probe_finds_the_model_and_a_draft_is_validated() -> None:
    sim = make_simulator()
    drafter = client(sim)
    assert await drafter.probe() == "http://simulator" and drafter.status == "qwen3:14b ready"
    suggestion = await drafter.draft(SYSTEM, USER, CommentSuggestion)
    assert suggestion.subject == "Update" and "replaced toner" in suggestion.body
    (sent,) = sim.model_requests
    assert (sent["model"], sent["stream"], sent["think"], sent["format"]) == ("qwen3:14b", False, False, "json")


async def test_a_host_without_the_model_is_passed_over() -> None:
    sim = make_simulator()
    drafter = client(sim, model="llama-nonexistent")
    assert await drafter.probe() is None
    assert "does not have llama-nonexistent" in drafter.status
    with pytest.raises(DraftFailed, match="No local model is reachable"):
        await drafter.draft(SYSTEM, USER, CommentSuggestion)


async def test_an_unreachable_host_is_said_and_the_probe_is_short() -> None:
    sim = make_simulator()
    sim.add_fault(kind="timeout", route="ollama_tags", delay=5)
    drafter = client(sim, probe_seconds=0.2)
    assert await drafter.probe() is None and "TimeoutError" in drafter.status


@pytest.mark.parametrize(("kind", "words"), [("garbage", "did not answer with the JSON"),
                                             ("timeout", "did not answer within 0.3 s"),
                                             ("500", "answered 500")])
async def test_a_model_that_fails_gives_no_draft_and_says_why(kind, words) -> None:
    sim = make_simulator()
    drafter = client(sim, timeout_seconds=0.3)
    await drafter.probe()
    sim.add_fault(kind=kind, route="ollama_chat", delay=3)
    with pytest.raises(DraftFailed, match=words):
        await drafter.draft(SYSTEM, USER, CommentSuggestion)


async def test_json_of_the_wrong_shape_is_refused() -> None:
    sim = make_simulator()
    drafter = client(sim)
    await drafter.probe()
    with pytest.raises(DraftFailed, match="lacks what was asked for"):  # a comment answer to a billing question
        await drafter.draft(SYSTEM, USER, BillingSuggestion)


def test_the_repr_has_no_secret_to_show() -> None:
    assert "key" not in repr(OllamaClient(["http://localhost:11434"])).lower()
