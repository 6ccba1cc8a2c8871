"""Every reachable answer, in every language, open and closed, is valid TwiML that leads on."""

import pytest

from ivr import phrases as P
from ivr.harness import reader
from ivr.menu import voices

from .conftest import line_app
from .twiml import parse

KEYS = list("0123456789*#")
ENDINGS = {"Redirect", "Hangup", "Dial"}
IN_GATHER = {"Say", "Play", "Pause"}


def walk(client):
    """Press every key and stay silent at every prompt, breadth first; return the answers by request."""
    seen, answers = set(), {}
    queue = [("/voice", None)]
    while queue:
        url, digits = queue.pop(0)
        if (url, digits) in seen:
            continue
        seen.add((url, digits))
        answer = parse(client.post(url, data={"Digits": digits} if digits is not None else {}))
        answers[(url, digits)] = answer
        read = answer.read
        if read.gather is not None:
            action = read.gather.action
            # Every key at a fresh prompt; after a miss, one more miss of each kind is enough.
            queue += [(action, key) for key in (KEYS if "?" not in action else ["#"])]
        for play in (heard for heard in read.heard_all() if isinstance(heard, reader.Play)):
            audio = client.get(play.url)
            audio.close()
            assert audio.status_code == 200 and audio.mimetype == "audio/wav", play.url
        if read.redirect is not None:
            queue.append((read.redirect.url, None))
        if read.dial is not None:
            action = read.dial.action
            queue += [(action, None)]
            for outcome in ("completed", "busy", "no-answer", "failed"):
                answers[(action, outcome)] = parse(client.post(action, data={"DialCallStatus": outcome}))
        assert len(seen) < 5000, "the walk does not end: a loop that grows the URL?"
    return answers


@pytest.mark.parametrize("now", ["2026-11-30T10:00", "2026-11-30T18:00", "2026-12-24T10:00"])
def test_no_answer_is_a_dead_end_or_invalid(menu, clock, recordings, dari, now):
    """Every voiced language and Dari (recorded in full); Somali and Kurmanji are not recorded."""
    clock.set(now)
    # Recordings are looked at once per interval, as in service: the walk makes thousands of requests.
    answers = walk(line_app(clock, recordings, reload_interval_s=60).test_client())
    reached = {url.split("?")[0] for url, _ in answers}
    offered = [lang for lang in menu.languages if lang.voice or lang.code == "fa"]
    assert not any(url.startswith(("/voice/so/", "/voice/kmr/")) for url in reached), "not offered"
    for lang in offered:
        for node in menu.nodes:
            if menu.nodes[node].kind == "transfer" and not lang.voice:
                assert any(a.dial is not None or f"/audio/{lang.code}/{node}.closed.wav" in (p.text.split("?")[0] for p in
                           a.root.iter("Play")) for (url, _), a in answers.items()
                           if url.startswith(f"/voice/{lang.code}/")), (lang, node)
            elif menu.nodes[node].kind == "transfer":
                closed = menu.phrases[lang.code](P.CLOSED_NOW, name=menu.nodes[node].name[lang.code])[1:]
                assert any(a.dial is not None or closed in a.text for a in answers.values() if a.said
                           and a.said[0].voice == lang.voice), (lang, node)
            else:
                assert f"/voice/{lang.code}/{node}/key" in reached, (lang.code, node)
    for (url, digits), answer in answers.items():
        verbs = answer.verbs
        assert verbs, f"empty answer to {url} {digits}"
        assert verbs[-1] in ENDINGS, f"{url} {digits}: the call would go silent after {verbs}"
        for gather in answer.root.iter("Gather"):
            assert {child.tag for child in gather} <= IN_GATHER
        for said in answer.said:
            assert said.text, f"{url}: an empty <Say>"
            assert said.voice in voices.VOICES and voices.VOICES[said.voice] == said.language
    dialled = {a.dial.text for a in answers.values() if a.dial is not None}
    assert dialled <= {menu.nodes["desk"].number.e164}
    assert bool(dialled) == (now == "2026-11-30T10:00"), "the desk is dialled only during its hours"
