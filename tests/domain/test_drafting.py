"""What the model is sent: secrets stripped, no amounts asked for."""

from syncro_tui.domain.comment import Visibility
from syncro_tui.domain.drafting import REMOVED, billing_prompt, comment_prompt, strip_secrets


def test_strip_secrets_replaces_what_looks_like_a_credential():
    text = "Reset it. New password: Hunter22x and the api key: sk_live_abcdef123456"
    out = strip_secrets(text)
    assert "Hunter22x" not in out and "sk_live_abcdef123456" not in out and REMOVED in out
    assert out.startswith("Reset it.")
    assert strip_secrets("Printer fixed.") == "Printer fixed."


def test_prompts_carry_no_secret_and_ask_for_words_only():
    system, user = comment_prompt(subject="Wi-Fi", customer="Acme", history=["Initial Issue: password: Summer2026"],
                                  notes="told them the password: Winter2027", visibility=Visibility.EMAIL)
    assert "Summer2026" not in user and "Winter2027" not in user
    assert '"subject"' in system and "the customer reads it" in system
    system, user = billing_prompt(subject="Server", customer="Acme", history=[], notes="rebuilt RAID", work="45 minutes of remote work")
    assert "line_item_description" in system and "never mention prices" in system
    assert "45 minutes of remote work" in user and "rebuilt RAID" in user
