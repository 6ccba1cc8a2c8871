"""The recording studio: translators record prompts, reviewers approve them (docs/translators.md).

`users.py` (who may do what, no Flask), `command.py` (`ivr studio ...`); the web pages in the
modules beside them. Off unless IVR_STUDIO_USERS names a users file.
"""
