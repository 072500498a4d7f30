"""Domain rules with no I/O: the rate table, billing arithmetic, checklists.

Nothing in this package performs network, file or terminal I/O, so it can be
imported and tested without the API client, the write path or the UI.
"""
