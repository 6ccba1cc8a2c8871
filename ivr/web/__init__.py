"""The web layer: the Flask app, its webhooks, the signature check, the call log."""
