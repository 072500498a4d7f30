"""Exit codes of the syncro-tui command, shared by the CLI and the app (documented in the README)."""

USAGE = 2  # a bad config or missing profile
AUTH = 3  # no key, a wrong key, a key without a needed permission, another tech's key
NETWORK = 4  # Syncro could not be reached
