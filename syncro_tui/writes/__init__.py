"""The write path: every change to Syncro is confirmed, attributed, journaled and reconciled here.

Builds on the API layer; the UI calls down into it and never sends a write itself.
"""
