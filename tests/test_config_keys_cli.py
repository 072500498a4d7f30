"""Config, per-tech keys and the syncro-tui command (without the TUI)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from syncro_tui import cli, keys
from syncro_tui.config import ConfigError, load_config
from syncro_tui.domain.rates import LaborType


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend for tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise PasswordDeleteError("not found")
        del self.store[(service, username)]


@pytest.fixture
def memory_keyring(monkeypatch):
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv("SYNCRO_API_KEY", raising=False)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring(monkeypatch):
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("SYNCRO_API_KEY", raising=False)
    yield
    keyring.set_keyring(previous)


PROFILES = """
default_profile = "dana"

[profiles.dana]
tech_name = "Dana Whitfield"
user_id = 1843
subdomain = "acme"

[profiles.tom]
tech_name = "Tom Okafor"
user_id = 2231
base_url = "http://127.0.0.1:8765/api/v1"
auth_mode = "query"
"""


# --------------------------------------------------------------------- config
def test_missing_config_gives_the_shipped_defaults(config_file) -> None:
    config = load_config()
    assert config.profiles == {}
    table = config.rate_table()
    assert table.for_type(LaborType.EMERGENCY).product_id == 26184
    assert table.for_type("onsite").price_retail == Decimal("175.00")
    assert config.appointment_types["Remote"] == 59289
    assert config.tickets.priority == "2 Normal"


def test_the_readmes_keymap_and_queue_filters_load(config_file) -> None:
    config_file.write_text('[keymap]\n"queue.refresh" = "f5"\n\n[[queue.filters]]\nname = "Urgent and high"\n'
                           'priorities = ["4 Urgent", "1 High"]\n\n[[queue.filters]]\nname = "Printers"\ntext = "printer"\n')
    config = load_config()
    assert config.keymap == {"queue.refresh": "f5"}
    assert [(f.name, f.priorities, f.text) for f in config.queue.filters] == [
        ("Urgent and high", ["4 Urgent", "1 High"], ""), ("Printers", [], "printer")]


def test_profiles_and_overrides_load(config_file, monkeypatch) -> None:
    config_file.write_text(PROFILES + '\n[rates.remote]\nproduct_id = 555\nprice_retail = "165.00"\n'
                           "\n[queue]\nrefresh_seconds = 5\n")
    config = load_config()
    name, profile = config.profile()
    assert name == "dana" and profile.api_base_url() == "https://acme.syncromsp.com/api/v1"
    assert config.profile("tom")[1].auth_mode == "query"
    monkeypatch.setenv("SYNCRO_TUI_PROFILE", "tom")
    assert config.profile()[0] == "tom"
    remote = config.rate_table().for_type("remote")
    assert (remote.product_id, remote.price_retail) == (555, Decimal("165.00"))
    assert remote.name == "Labor - Remote Business"  # what the override leaves out keeps its default
    assert config.queue.refresh_seconds == 15  # never faster than 15 s


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("default_profile = [", "is not valid TOML"),
        ("[profiles.dana]\nuser_id = 'not a number'\n", "profiles.dana.user_id"),
        ("[profiles.dana]\nsubdomian = 'typo'\n", "profiles.dana.subdomian"),
    ],
)
def test_a_bad_config_says_where_and_why(config_file, text, message) -> None:
    config_file.write_text(text)
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        load_config()


def test_profile_selection_errors(config_file) -> None:
    config = load_config()
    with pytest.raises(ConfigError, match="No profile is configured"):
        config.profile()
    config_file.write_text(PROFILES)
    with pytest.raises(ConfigError, match="No profile named 'bob'"):
        load_config().profile("bob")


# ----------------------------------------------------------------------- keys
def test_keys_live_in_the_keyring(memory_keyring) -> None:
    keys.store_key("dana", "  demo-key \n")
    found = keys.find_key("dana")
    assert found is not None and (found.key, found.source) == ("demo-key", "keyring")
    assert "demo-key" not in repr(found)
    assert keys.remove_key("dana") is True and keys.find_key("dana") is None
    assert keys.remove_key("dana") is False


def test_env_key_overrides_the_keyring(memory_keyring, monkeypatch) -> None:
    keys.store_key("dana", "from-keyring")
    monkeypatch.setenv("SYNCRO_API_KEY", "from-env")
    assert keys.find_key("dana").source == "env"  # type: ignore[union-attr]


def test_without_a_keyring_backend_the_message_points_to_the_env_var(no_keyring) -> None:
    assert keys.backend_available() is False
    assert keys.find_key("dana") is None
    with pytest.raises(keys.KeyStoreError, match="SYNCRO_API_KEY"):
        keys.store_key("dana", "k")


# ------------------------------------------------------------------------ cli
def run_cli(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    import os

    full_env = {**os.environ, **(env or {})}
    # Read the output in the encoding the command writes (cp1252 when the suite runs as on Windows).
    return subprocess.run([sys.executable, "-m", "syncro_tui", *args], capture_output=True, input=stdin,
                          encoding=full_env.get("PYTHONIOENCODING") or "utf-8", env=full_env, timeout=60)


IMPORT_CHECK = """
import sys
from syncro_tui import cli
try:
    cli.main({args!r})
except SystemExit:
    pass
print("TEXTUAL" if any(m == "textual" or m.startswith("textual.") for m in sys.modules) else "NO-TEXTUAL", file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["config", "path"], ["auth", "status", "--offline"]])
def test_cli_commands_do_not_import_textual(args, config_file) -> None:
    result = subprocess.run([sys.executable, "-c", IMPORT_CHECK.format(args=args)], capture_output=True, text=True, timeout=60)
    assert result.stderr.strip().endswith("NO-TEXTUAL"), result.stderr


def test_version_and_config_commands(config_file) -> None:
    assert run_cli("--version").stdout.startswith("syncro-tui ")
    assert run_cli("config", "path").stdout.strip() == str(config_file)
    config_file.write_text(PROFILES)
    shown = run_cli("config", "show").stdout
    assert "[profiles.dana]" in shown and "26184" in shown


def test_bad_config_is_a_short_message_and_exit_2(config_file) -> None:
    config_file.write_text("this is = = not toml")
    result = run_cli("config", "show")
    assert result.returncode == 2
    assert "not valid TOML" in result.stderr and "Traceback" not in result.stderr


def test_no_profile_and_no_key_are_short_messages(config_file, monkeypatch) -> None:
    result = run_cli(env={"SYNCRO_API_KEY": ""})
    assert result.returncode == 2 and "No profile is configured" in result.stderr and "--demo" in result.stderr
    config_file.write_text(PROFILES)
    result = run_cli("--profile", "tom", env={"SYNCRO_API_KEY": "", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert result.returncode == 3
    assert "No API key for profile 'tom'" in result.stderr and "Traceback" not in result.stderr


def test_auth_set_status_remove_through_main(memory_keyring, config_file, capsys, monkeypatch) -> None:
    from syncro_tui.simulator.server import BackgroundSimulator

    from .conftest import make_simulator

    with BackgroundSimulator(make_simulator()) as server:
        config_file.write_text(PROFILES.replace("http://127.0.0.1:8765/api/v1", server.base_url))
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO("demo-key-tom\n"))
        assert cli.main(["auth", "set", "--profile", "tom"]) == 0
        out = capsys.readouterr().out
        assert "Stored the key" in out and "belongs to Tom Okafor (user 2231)" in out
        assert memory_keyring.store[("syncro-tui", "tom")] == "demo-key-tom"
        assert "demo-key-tom" not in out

        memory_keyring.store[("syncro-tui", "tom")] = "demo-key-marcus"
        assert cli.main(["auth", "status", "--profile", "tom"]) == cli.EXIT_AUTH
        out = capsys.readouterr().out
        assert "belongs to Marcus Bell" in out and "WARNING" in out

    assert cli.main(["auth", "remove", "--profile", "tom"]) == 0
    assert "Removed the key for tom" in capsys.readouterr().out
    assert cli.main(["auth", "status", "--offline"]) == cli.EXIT_AUTH
    assert "no key stored" in capsys.readouterr().out


def test_simulator_command_answers_on_loopback() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "syncro_tui", "simulator", "--port", "0", "--rate-limit", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline().strip()  # type: ignore[union-attr]
        assert first.startswith("Syncro simulator: http://127.0.0.1:")
        base = first.split(": ", 1)[1]
        assert "demo-key" in proc.stdout.readline()  # type: ignore[union-attr]
        r = httpx.get(base + "/me", headers={"Authorization": "demo-key"}, timeout=10)
        assert r.json()["user_name"] == "Dana Whitfield"
        r = httpx.get(base + "/tickets", params={"api_key": "demo-key", "status": "Not Closed"}, timeout=10)
        assert r.json()["tickets"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_lower_layers_import_without_the_ui() -> None:
    code = ("import sys, syncro_tui.api, syncro_tui.domain.queue, syncro_tui.domain.rates, syncro_tui.simulator, "
            "syncro_tui.config, syncro_tui.keys\n"
            "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'syncro_tui.ui'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_bill_plan_json_prints_every_call_and_the_checklist_and_sends_nothing(config_file, capsys, monkeypatch,
                                                                             tmp_path) -> None:
    import json as jsonlib

    from syncro_tui.simulator.server import BackgroundSimulator

    from .conftest import make_simulator
    from .simulator.helpers import open_ticket, prepaid_customer, ticket_for_customer

    sim = make_simulator()
    plain, prepaid = open_ticket(sim), ticket_for_customer(sim, prepaid_customer(sim)["id"])
    with BackgroundSimulator(sim) as server:
        config_file.write_text(PROFILES.replace("http://127.0.0.1:8765/api/v1", server.base_url))
        monkeypatch.setenv("SYNCRO_API_KEY", "demo-key-tom")
        args = ["--profile", "tom", "bill", str(plain["number"]), "--minutes", "45", "--labor", "remote",
                "--at", "2026-11-20T16:30:00-06:00", "--comment", "Replaced the switch.\n- tested", "--plan", "--json"]
        runs = iter(range(100))

        def bill(argv: list[str]) -> int:
            """Each run on a machine budget of its own: a dozen plans in a row are more than the budget's burst,
            and the pacer would rightly hold them back for seconds (the budget has its own tests)."""
            monkeypatch.setenv("SYNCRO_TUI_DATA_DIR", str(tmp_path / f"machine-{next(runs)}"))
            return cli.main(argv)

        assert bill(args) == 0
        out = jsonlib.loads(capsys.readouterr().out)
        assert [c["call"] for c in out["calls"]] == ["add_comment", "add_timer", "charge_timer", "check_line_item",
                                                     "update_line_item", "create_invoice", "check_invoice", "update_ticket"]
        timer = out["calls"][1]
        assert timer["body"]["start_at"] == "2026-11-20T15:45:00-06:00" and timer["body"]["product_id"] == 1190473
        assert out["calls"][2]["body"] == {"timer_entry_id": "<id from call 2>"}
        assert out["calls"][4]["only_if"] == "only if the line arrived at $0.00 (call 4 decides)"
        assert out["calls"][0]["body"]["body"] == "Replaced the switch.<br>• tested"
        assert (out["billing"]["quantity"], out["billing"]["total"]) == ("0.75", "112.50")
        assert all(c["passed"] for c in out["checklist"]) and out["sent"] is False

        # --at takes what the wizard's "Work ended" box takes, in the account's zone (America/Chicago)
        at = args.index("--at") + 1
        assert bill([*args[:at], "2026-11-20 16:30", *args[at + 1:]]) == 0
        assert jsonlib.loads(capsys.readouterr().out)["calls"][1]["body"]["start_at"] == "2026-11-20T15:45:00-06:00"
        assert bill([*args[:at], "soon", *args[at + 1:]]) == 2
        assert "--at: When did the work end?" in capsys.readouterr().err
        # without --at the work ended now, and the plan shows it on the account's clock, as the app does (it
        # printed UTC's times, six hours off in Chicago)
        assert bill([*args[:at - 1], *args[at + 1:]]) == 0
        start = datetime.fromisoformat(jsonlib.loads(capsys.readouterr().out)["calls"][1]["body"]["start_at"])
        assert start.utcoffset() == start.astimezone(ZoneInfo("America/Chicago")).utcoffset() != timedelta(0)
        assert bill([*args[:at], "soon", *args[at + 1:]]) == 2
        assert "--at: When did the work end?" in capsys.readouterr().err

        assert bill([*args[:3], str(prepaid["number"]), "--minutes", "60", "--labor", "emergency", "--plan", "--json"]) == 0
        out = jsonlib.loads(capsys.readouterr().out)
        assert (out["billing"]["product_id"], out["billing"]["quantity"]) == (26118, "1.50")
        assert any("1.5 × the hours" in r for r in out["billing"]["reasons"])

        # a secret in a customer-visible comment fails the checklist: exit 1, still nothing sent
        assert bill([*args[:-4], "--comment", "The new password: Hunter2!", "--plan", "--json"]) == 1
        checks = jsonlib.loads(capsys.readouterr().out)["checklist"]
        assert [c["check"] for c in checks if not c["passed"]] == ["Nothing internal or secret in a customer-visible comment"]
        assert [c for c in sim.calls if c[0] != "GET"] == []

        # parts and flat fees beside the time (issue 20): the product's own price and tax, before the invoice
        assert bill([*args, "--item", "880103:2", "--item", "880104"]) == 0
        out = jsonlib.loads(capsys.readouterr().out)
        assert [c["call"] for c in out["calls"]][5:8] == ["add_line_item", "add_line_item", "create_invoice"]
        assert out["calls"][5]["body"] == {"product_id": 880103, "name": "Samsung 870 EVO 1TB SSD",
                                           "description": "Samsung 870 EVO 1TB SSD", "quantity": "2",
                                           "price_retail": "129.00", "taxable": True}
        expect = out["calls"][8]["expect"]
        assert (expect["lines"], expect["subtotal"], expect.get("total")) == (3, "395.50", None)  # taxed: Syncro adds the tax
        assert bill([*args, "--item", "26118:1"]) == 2  # labor is never a bare line
        assert "is labor: bill it with a timer" in capsys.readouterr().err
        assert bill([*args, "--item", "880103:0"]) == 2
        assert "above zero" in capsys.readouterr().err
        assert [c for c in sim.calls if c[0] != "GET"] == []

        # a line-item shop ([billing] path): the labor is one line, and the plan says which path
        config_file.write_text(config_file.read_text() + '\n[billing]\npath = "line_item"\n')
        assert bill(args) == 0
        out = jsonlib.loads(capsys.readouterr().out)
        assert out["billing"]["path"] == "line_item"
        assert [c["call"] for c in out["calls"]] == ["add_comment", "add_line_item", "check_line_item",
                                                     "update_line_item", "create_invoice", "check_invoice", "update_ticket"]
        assert out["calls"][1]["body"] == {"product_id": 1190473, "name": "Labor - Remote Business",
                                           "description": plain["subject"], "quantity": "0.75",
                                           "price_retail": "150.00", "taxable": False}
        assert any('path = "line_item"' in note for note in out["notes"])
        assert bill([*args, "--item", "26118:1"]) == 2
        assert "is labor: bill it as the run's time" in capsys.readouterr().err
        assert [c for c in sim.calls if c[0] != "GET"] == []


@pytest.mark.parametrize(("extra", "message"), [
    (["--minutes", "0", "--labor", "remote", "--plan"], "Zero minutes"),
    (["--minutes", "-5", "--labor", "remote", "--plan"], "negative"),
    (["--minutes", "1500", "--labor", "remote", "--plan"], "--long"),
    (["--minutes", "30", "--labor", "remote"], "add --plan"),
    (["--minutes", "30", "--labor", "remote", "--plan", "--at", "2026-11-20T10:00"], "time zone"),
])
def test_bill_refuses_bad_input_in_words(extra, message, capsys) -> None:
    assert cli.main(["--demo", "bill", "31921", *extra]) == 2
    assert message in capsys.readouterr().err


def test_bill_on_an_unknown_ticket_says_so(capsys) -> None:
    assert cli.main(["bill", "999999", "--demo", "--minutes", "30", "--labor", "remote", "--plan"]) == 2
    assert "There is no ticket #999999." in capsys.readouterr().err


def test_rates_check_shows_where_syncro_differs(config_file, capsys, monkeypatch) -> None:
    from syncro_tui.simulator.server import BackgroundSimulator

    from .conftest import make_simulator

    assert cli.main(["rates"]) == 0
    assert "26184  Labor - Emergency or After Hours Business" in capsys.readouterr().out
    sim = make_simulator()
    sim.store.t("products")[26118]["price_retail"] = 185.0
    del sim.store.t("products")[68055]
    with BackgroundSimulator(sim) as server:
        config_file.write_text(PROFILES.replace("http://127.0.0.1:8765/api/v1", server.base_url))
        monkeypatch.setenv("SYNCRO_API_KEY", "demo-key-tom")
        assert cli.main(["--profile", "tom", "rates", "--check"]) == 1
    out = capsys.readouterr().out
    assert "onsite: Syncro's Labor - Onsite Business (26118) is $185.00; the rate table says $175.00" in out
    assert "website: product 68055 (Labor - Website Labor) is not in Syncro." in out and "2 differences" in out


def test_demo_runs_on_the_shops_own_config_so_a_shop_can_train_on_its_setup(config_file) -> None:
    from syncro_tui.cli.app import LoopbackDemo, session_for
    from syncro_tui.cli.common import remove_demo_files
    from syncro_tui.session import CannotConnect

    config_file.write_text('[keymap]\n"queue.refresh" = "f5"\n\n[[queue.filters]]\nname = "Printers"\ntext = "printer"\n\n'
                           '[rates.remote]\nproduct_id = 555\nprice_retail = "165.00"\n\n[alerts]\nnew_ticket = []\n')
    args = cli.build_parser().parse_args(["--demo"])
    demo = LoopbackDemo(args.seed)
    sessions = [session_for(args, demo), session_for(args, demo)]
    try:
        session = sessions[0]
        assert not session.opened  # built before the app runs; the config is read when it opens
        session.open()
        assert session.config.keymap == {"queue.refresh": "f5"}
        assert [f.name for f in session.config.queue.filters] == ["Printers"]
        assert session.config.rate_table().for_product(555) is not None and session.config.alerts.new_ticket == []
        assert session.account_label == "DEMO"
        config_file.write_text("[queue\n")
        with pytest.raises(CannotConnect, match="not valid TOML"):
            sessions[1].open()
    finally:
        demo.stop()
        for made in sessions:  # as run_app does when the demo ends
            remove_demo_files(made.data_dir())


def test_the_demos_own_files_go_with_it_and_nothing_else_does(tmp_path) -> None:
    import tempfile
    from pathlib import Path

    from syncro_tui.cli.common import remove_demo_files
    from syncro_tui.session import DEMO_DIR_PREFIX

    own = Path(tempfile.mkdtemp(prefix=DEMO_DIR_PREFIX))
    (own / "journal.sqlite").write_text("x")
    remove_demo_files(own)
    assert not own.exists()
    techs = tmp_path / "syncro-tui-demo-lookalike"  # not in the temp dir itself: a tech's directory
    techs.mkdir()
    remove_demo_files(techs)
    assert techs.exists()


@pytest.mark.parametrize(("args", "said"), [
    (["--demo", "bill", "31913", "--minutes", "²", "--labor", "remote", "--plan"], "not a whole number of minutes"),
    (["--demo", "bill", "31913", "--minutes", "1000000000000", "--long", "--labor", "remote", "--plan"], "over 7 days"),
    (["--demo", "bill", "31913", "--minutes", "30", "--labor", "remote", "--plan", "--at", "0001-01-01T00:10-06:00"],
     "years from today"),
    (["--demo", "bill", "31913", "--minutes", "30", "--labor", "remote", "--plan", "--item", "880103:1e999999"],
     "is not a quantity"),
    (["--demo", "bill", "①", "--minutes", "30", "--labor", "remote", "--plan"], "not a whole number"),
    (["--base-url", "http://[::1/api/v1", "bill", "31913", "--minutes", "30", "--labor", "remote", "--plan"],
     "--base-url: “http://[::1/api/v1” is not a URL"),
])
def test_no_argument_ends_a_command_in_a_traceback(config_file, args, said) -> None:
    config_file.write_text(PROFILES)
    result = run_cli(*args, env={"SYNCRO_API_KEY": "demo-key"})
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert said in result.stderr
