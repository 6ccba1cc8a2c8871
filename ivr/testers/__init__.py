"""Tools for testers: `ivr call` (a call in the terminal) and `ivr golden` (golden transcripts)."""
