"""Commenting from the ticket screen, by keys on the simulator: visibility, who receives it, <br>, the secret stop."""

from __future__ import annotations

from syncro_tui.domain.comment import CommentDraft, Visibility
from syncro_tui.simulator import Simulator
from syncro_tui.ui.comment import CommentScreen, highlighted
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.ticket import TicketScreen

from ..conftest import make_simulator
from .helpers import SIZE, make_app, notices, rendered, settle, type_text, wait_for_screen
from .test_writes_ui import puts, selected_ticket


shown = rendered


def comments_on(sim: Simulator, ticket_id: int, subject: str) -> list[dict]:
    return [c for c in sim.store.t("comments").values() if c["ticket_id"] == ticket_id and c["subject"] == subject]


async def open_comment(pilot) -> CommentScreen:
    await settle(pilot)
    await pilot.press("enter")
    await wait_for_screen(pilot, TicketScreen)
    await settle(pilot)
    await pilot.press("n")
    screen = await wait_for_screen(pilot, CommentScreen)
    await pilot.pause()
    return screen


async def choose(pilot, visibility: Visibility) -> None:
    """From the subject: Tab to the visibility, open it, pick (options: email, public, private), Tab to the body."""
    index = list(Visibility).index(visibility)
    await pilot.press("tab", "enter", "home", *["down"] * index, "enter", "tab")


async def test_an_email_reply_says_who_gets_it_and_lands_with_br(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        ticket = None
        await settle(pilot)
        ticket = selected_ticket(app)
        screen = await open_comment(pilot)
        assert "Only techs see this private note" in shown(screen, "#audience")  # private unless chosen
        await type_text(pilot, "Printer fixed")
        await choose(pilot, Visibility.EMAIL)
        assert "Syncro emails this to otis.ramirez@mail.example" in shown(screen, "#audience")
        await type_text(pilot, "It prints again.\n- replaced the fuser\n- cleared the queue")
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        (req,) = confirm.requests
        assert req.body == {"subject": "Printer fixed",
                            "body": "It prints again.<br>• replaced the fuser<br>• cleared the queue",
                            "hidden": False, "do_not_email": False}
        assert any("emails this to otis.ramirez@mail.example" in n for n in confirm.notes)
        assert puts(sim) == []
        await pilot.press("s")
        await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)
    (comment,) = comments_on(sim, ticket.id, "Printer fixed")
    assert comment["hidden"] is False and comment["destination_emails"]


async def test_a_public_note_is_not_emailed_and_a_private_one_is_hidden(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        for visibility, subject in ((Visibility.PUBLIC, "Public update"), (Visibility.PRIVATE, "Tech note")):
            screen = await open_comment(pilot) if visibility is Visibility.PUBLIC else await reopen(pilot)
            await type_text(pilot, subject)
            await choose(pilot, visibility)
            await type_text(pilot, "Checked it.")
            await pilot.press("ctrl+s")
            confirm = await wait_for_screen(pilot, ConfirmScreen)
            assert (confirm.requests[0].body["hidden"], confirm.requests[0].body["do_not_email"]) == (
                visibility.hidden, visibility.do_not_email)
            await pilot.press("s")
            await wait_for_screen(pilot, TicketScreen)
            await settle(pilot)
            assert screen is not None
    (public,) = comments_on(sim, ticket.id, "Public update")
    (private,) = comments_on(sim, ticket.id, "Tech note")
    assert (public["hidden"], bool(public["destination_emails"])) == (False, False)
    assert private["hidden"] is True


async def reopen(pilot) -> CommentScreen:
    await pilot.press("n")
    screen = await wait_for_screen(pilot, CommentScreen)
    await pilot.pause()
    return screen


async def test_a_secret_for_a_customer_is_stopped_and_highlighted(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_comment(pilot)
        await type_text(pilot, "Wi-Fi")
        await choose(pilot, Visibility.PUBLIC)
        await type_text(pilot, "New guest network. The password: Summer2026")
        assert "Stopped: a customer would see" in shown(screen, "#comment-problems")
        spans = [s for s in screen.query_one("#comment-problems").content.spans if "on red" in str(s.style)]
        text = screen.query_one("#comment-problems").content.plain
        assert [text[s.start:s.end] for s in spans] == ["password: Summer2026"]
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CommentScreen) and puts(sim) == []
        assert "password, key, token" in notices(app)
        await pilot.press("shift+tab")  # a private note may hold it
        await pilot.press("enter", "end", "enter")
        assert "Stopped" not in shown(screen, "#comment-problems")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)


async def test_empty_subject_or_body_is_said_in_place_and_the_draft_is_kept(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_comment(pilot)
        assert shown(screen, "#comment-problems") == ""
        await pilot.press("ctrl+s")
        assert "needs a subject" in shown(screen, "#comment-problems") and "needs a body" in shown(screen, "#comment-problems")
        await type_text(pilot, "Half written")
        await pilot.press("escape")
        await wait_for_screen(pilot, TicketScreen)
        screen = await reopen(pilot)
        assert screen.query_one("#subject").value == "Half written"
    assert puts(sim) == []


def test_highlight_keeps_its_marks_on_the_words_across_tabs_and_control_characters() -> None:
    text = "a\tb\x1b[31m password: x1"
    draft = CommentDraft("s", text, Visibility.PUBLIC)
    out = highlighted(text, draft.hazards())
    (span,) = [s for s in out.spans if "on red" in str(s.style)]
    assert out.plain[span.start:span.end] == "password: x1" and "␛" in out.plain


def test_comment_screen_snapshot(snap_compare) -> None:
    sim = make_simulator()

    async def run_before(pilot) -> None:
        await open_comment(pilot)
        await type_text(pilot, "Wi-Fi")
        await choose(pilot, Visibility.EMAIL)
        await type_text(pilot, "New guest network is up.\n- the password: Summer2026")
        await pilot.pause()

    assert snap_compare(make_app(sim), terminal_size=(150, 32), run_before=run_before)


def test_comment_confirm_snapshot(snap_compare) -> None:
    sim = make_simulator()

    async def run_before(pilot) -> None:
        await open_comment(pilot)
        await type_text(pilot, "Printer fixed")
        await choose(pilot, Visibility.EMAIL)
        await type_text(pilot, "It prints again.\n- replaced the fuser")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.pause()  # (not settle: the send worker waits on this confirm)

    assert snap_compare(make_app(sim), terminal_size=(150, 32), run_before=run_before)


async def test_a_comment_typed_before_a_kill_comes_back_said_with_its_visibility(tmp_path) -> None:
    """The app killed mid-comment (no quit): the next start says the draft is back; the comment screen says it
    is a public note and puts the typing at its end, so new words never go in front of stale ones unseen."""
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        await open_comment(pilot)
        await type_text(pilot, "Phones")
        await choose(pilot, Visibility.PUBLIC)
        await type_text(pilot, "removed it.")
    # killed: nothing more was written than at each key
    again = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"a comment on #{ticket.number}, set to Public note" in notices(again)
        table = again.queue_screen.query_one("#queue-table")
        table.cursor_row = table.index_of(str(ticket.id))
        screen = await open_comment(pilot)
        assert "Your unsent draft is back, set to Public note" in shown(screen, "#restored")
        await type_text(pilot, " Rebooted the PBX.")
        assert screen.form.text == "removed it. Rebooted the PBX."
        assert screen.form.visibility == Visibility.PUBLIC.value


def test_two_windows_keep_their_own_drafts_and_a_bad_record_keeps_the_rest(tmp_path) -> None:
    from syncro_tui.domain.account import Drafts
    from syncro_tui.domain.comment import CommentForm
    from syncro_tui.writes.drafts import DraftStore

    one, two = Drafts(), Drafts()
    one.comments[1] = CommentForm("A", "public", "first window")
    two.comments[2] = CommentForm("B", "private", "second window")
    DraftStore.for_profile(tmp_path, "dana").keep(one)
    second = DraftStore.for_profile(tmp_path, "dana")
    second.keep(two)
    two.comments.pop(2)  # sent from the second window
    second.keep(two)
    back = Drafts()
    DraftStore.for_profile(tmp_path, "dana").restore(back)
    assert {k: v.text for k, v in back.comments.items()} == {1: "first window"}
    store = DraftStore.for_profile(tmp_path, "dana")
    store.path.write_text('{"drafts": [{"kind": "gremlin", "key": "1", "form": {}},'
                          ' {"kind": "comment", "key": "x", "form": {"subject": "no ticket"}},'
                          ' {"kind": "comment", "key": "3", "form": {"subject": "C", "text": "ok"}}]}')
    back = Drafts()
    restoring = DraftStore.for_profile(tmp_path, "dana")
    assert restoring.restore(back) == ["a comment on ticket 3, set to Private note"]  # the good one back
    assert "2 unsent drafts could not be read" in (restoring.damage or "")
    store.path.write_bytes(b'{"drafts": [\xff')
    damaged = DraftStore.for_profile(tmp_path, "dana")
    assert damaged.restore(Drafts()) == [] and "damaged" in (damaged.damage or "")


async def test_typing_that_runs_on_into_the_confirm_sends_nothing_until_the_tech_has_read_it(tmp_path) -> None:
    """A tech presses ctrl+s mid-sentence and keeps typing: the "s" of "headers" must not send the comment."""
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        await open_comment(pilot)
        await type_text(pilot, "Update")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Checked the mail")
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        await type_text(pilot, " headers, blocked the sender")
        await pilot.pause()  # (the comment's worker waits on this confirm: nothing settles until it is answered)
        assert app.screen is confirm and comments_on(sim, ticket.id, "Update") == []
        assert "Typing reached this confirm, so nothing was sent" in shown(confirm, "#confirm-help")
        await pilot.press("enter")  # read, and armed again
        assert "Press s to send" in shown(confirm, "#confirm-help")
        await pilot.press("s")
        await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)
    (comment,) = comments_on(sim, ticket.id, "Update")
    assert comment["body"] == "Checked the mail"  # what the confirm showed, and nothing typed after it
