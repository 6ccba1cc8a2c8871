"""Speech: what the line says (prompts, pauses) and how it is written as TwiML."""
