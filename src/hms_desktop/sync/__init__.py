"""Sync with the central service: the HTTP client, the keychain, and the push/pull engine.
No Qt here: the app runs it in the background; the command line runs it directly."""
