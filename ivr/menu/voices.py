"""Twilio text-to-speech voices the line may use, and the `language` each one speaks.

Twilio rejects a <Say> whose voice and language do not match, so the language
attribute is never typed by staff: it is looked up here from the voice.
Add a voice only after checking Twilio's list of supported voices.
"""

from __future__ import annotations

# voice -> Twilio language attribute. All of these accept SSML <break>.
VOICES: dict[str, str] = {
    # Finnish: Polly has one neural voice, Google two.
    "Polly.Suvi-Neural": "fi-FI",
    "Google.fi-FI-Standard-A": "fi-FI",
    "Google.fi-FI-Wavenet-A": "fi-FI",
    # Swedish
    "Polly.Elin-Neural": "sv-SE",
    "Polly.Astrid": "sv-SE",
    "Google.sv-SE-Standard-A": "sv-SE",
    "Google.sv-SE-Wavenet-A": "sv-SE",
    # English
    "Polly.Amy-Neural": "en-GB",
    "Polly.Emma-Neural": "en-GB",
    "Polly.Brian-Neural": "en-GB",
    "Polly.Joanna-Neural": "en-US",
    "Polly.Matthew-Neural": "en-US",
    # Arabic: Zeina speaks Modern Standard Arabic; Hala and Zayd the Gulf variety.
    "Polly.Zeina": "arb",
    "Polly.Hala-Neural": "ar-AE",
    "Polly.Zayd-Neural": "ar-AE",
    "Google.ar-XA-Standard-A": "ar-XA",
    "Google.ar-XA-Wavenet-A": "ar-XA",
    # Ukrainian: Google voices only.
    "Google.uk-UA-Standard-A": "uk-UA",
    "Google.uk-UA-Wavenet-A": "uk-UA",
    # Russian
    "Polly.Tatyana": "ru-RU",
    "Polly.Maxim": "ru-RU",
    "Google.ru-RU-Standard-A": "ru-RU",
    "Google.ru-RU-Wavenet-A": "ru-RU",
}


def speaks(voice: str, code: str) -> bool:
    """Whether `voice` speaks the menu language `code` ('ar' matches 'arb' and 'ar-AE')."""
    spoken = VOICES.get(voice)
    return spoken is not None and spoken.split("-")[0].startswith(code.split("-")[0])
