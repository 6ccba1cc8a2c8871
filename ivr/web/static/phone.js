"use strict";
// A phone in the browser: posts to the line's webhooks as Twilio does and plays the TwiML answers.
// Verbs run in order; <Gather> waits for the keypad, then times out into the verbs after it.

const MAX_REQUESTS = 40; // a call that goes round in circles is stopped
const VOICE_URL = "/voice";
const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// What the page said and played, for testers' scripts (and the browser test).
window.phone = { spoken: [], played: [], unvoiced: [], call: null };

function hex(n) {
  const bytes = crypto.getRandomValues(new Uint8Array(n / 2));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The transcript scrolls in its own box, so the keypad and the status stay on screen. It follows new
// lines unless the reader has scrolled up to read back.
function following() {
  const box = $("transcript");
  return box.scrollHeight - box.scrollTop - box.clientHeight < 48;
}

function follow(was) {
  const box = $("transcript");
  if (was) box.scrollTop = box.scrollHeight;
}

// `content`: a text, or the line's elements (whole before it is added, so following sees its height).
function note(kind, content, attributes = {}) {
  const item = document.createElement("li");
  item.className = kind;
  for (const [name, value] of Object.entries(attributes)) item.setAttribute(name, value);
  item.append(...[].concat(content));
  const was = following();
  $("transcript").append(item);
  follow(was);
  return item;
}

function status(text, nudge = false) {
  $("status").textContent = text;
  $("status").classList.toggle("nudge", nudge);
}

// Browsers know "ar", not Twilio's "arb" (Modern Standard Arabic).
function browserLang(lang) {
  return lang === "arb" ? "ar" : lang || "";
}

// Chromium lists its voices a moment after the page loads; a browser without any never does.
let voicesLoading = null;
function voices() {
  if (!window.speechSynthesis) return Promise.resolve([]);
  const now = speechSynthesis.getVoices();
  if (now.length) return Promise.resolve(now);
  voicesLoading ??= new Promise((resolve) => {
    const done = () => resolve(speechSynthesis.getVoices());
    speechSynthesis.addEventListener("voiceschanged", done, { once: true });
    setTimeout(done, 1000);
  });
  return voicesLoading;
}

voices(); // start loading them now, not at the first <Say>

function findVoice(list, lang) {
  const tag = browserLang(lang).toLowerCase();
  const base = tag.split("-")[0];
  return list.find((v) => v.lang.toLowerCase().replace("_", "-") === tag)
    || list.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === base);
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });
function languageName(lang) {
  const base = browserLang(lang).split("-")[0];
  try {
    return languageNames.of(base) || lang;
  } catch {
    return lang;
  }
}

// Said once on the page (and kept): which languages this browser cannot read aloud.
function noVoiceFor(lang) {
  if (!window.phone.unvoiced.includes(lang)) window.phone.unvoiced.push(lang);
  const notice = $("voices");
  notice.textContent = window.speechSynthesis && typeof SpeechSynthesisUtterance !== "undefined"
    ? `No voice in this browser for ${window.phone.unvoiced.map((l) => `${languageName(l)} (${l})`).join(", ")}:`
      + " read those lines below."
    : "This browser cannot read aloud: read what the caller hears in the transcript.";
  notice.hidden = false;
}

// Resolves true when the text was read aloud (or reading is off), false when no voice could.
async function speak(text, lang) {
  window.phone.spoken.push({ text, lang });
  if (!$("speak").checked) return true;
  const voice = findVoice(await voices(), lang);
  if (!voice) {
    noVoiceFor(lang); // and on at once, as with reading off: the text is in the transcript
    return false;
  }
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = browserLang(lang);
    utterance.voice = voice;
    utterance.onend = utterance.onerror = () => resolve(true);
    speechSynthesis.speak(utterance);
  });
}

// /audio/<code>/<prompt>.wav is a recorded prompt: the line's simulator says what its manifest says it says.
async function recordingText(url) {
  const where = new URL(url, location.href);
  const found = where.pathname.match(/^\/audio\/([^/]+)\/([^/]+)\.wav$/);
  if (!found) return null;
  try {
    const response = await fetch(`/simulator/recording/${found[1]}/${found[2]}`);
    if (!response.ok) return null;
    return { ...(await response.json()), slow: where.searchParams.get("slow") === "1" };
  } catch {
    return null;
  }
}

// A <Say> as pieces: text, or a pause in milliseconds (SSML <break>).
function pieces(say) {
  const out = [];
  for (const child of say.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) out.push(child.textContent);
    else if (child.nodeName === "break") out.push(parseInt(child.getAttribute("time"), 10) || 500);
    else out.push(child.textContent);
  }
  return out;
}

class Call {
  constructor() {
    this.sid = "CA" + hex(32);
    this.ended = false;
    this.listening = null; // the Gather waiting for keys: {digits, numDigits, finish, done}
    this.audio = null;
    this.ticker = null; // the countdown in the status while the line listens
  }

  async run() {
    let next = { method: "POST", url: VOICE_URL, fields: { CallStatus: "ringing" } };
    for (let count = 0; next && !this.ended; count++) {
      if (count === MAX_REQUESTS) {
        note("problem", `Stopped after ${MAX_REQUESTS} requests: does the call go round in circles?`);
        break;
      }
      const doc = await this.fetch(next);
      next = doc && !this.ended ? await this.perform(doc.documentElement, next.url) : null;
    }
    this.end(this.ended ? "Call ended" : "The line hung up");
  }

  form(fields) {
    const caller = $("from").value.trim();
    return { CallSid: this.sid, AccountSid: "AC" + "0".repeat(32), ApiVersion: "2010-04-01", Direction: "inbound",
      CallStatus: "in-progress", From: caller, Caller: caller, To: "+358000000002", Called: "+358000000002",
      ...fields };
  }

  async fetch({ method, url, fields }) {
    const shown = ["Digits", "DialCallStatus"].filter((k) => k in fields).map((k) => `${k}=${fields[k]}`);
    note("request", `${method} ${url} ${shown.join(" ")}`.trim());
    const body = new URLSearchParams(this.form(fields));
    let response;
    try {
      response = method === "GET"
        ? await fetch(url + (url.includes("?") ? "&" : "?") + body)
        : await fetch(url, { method: "POST", body });
    } catch (error) {
      note("problem", `Cannot reach the line: ${error}`);
      return null;
    }
    if (!response.ok) {
      const why = response.status === 403 ? " (the line checks signatures: run it without TWILIO_AUTH_TOKEN)" : "";
      note("problem", `The line answered HTTP ${response.status}${why}`);
      return null;
    }
    const doc = new DOMParser().parseFromString(await response.text(), "text/xml");
    if (doc.getElementsByTagName("parsererror").length || doc.documentElement.nodeName !== "Response") {
      note("problem", "The answer is not valid TwiML: Twilio could not read it");
      return null;
    }
    return doc;
  }

  // Run the verbs in order; the next request, or null when the call ends.
  async perform(root, here) {
    for (const verb of root.children) {
      if (this.ended) return null;
      const method = (verb.getAttribute("method") || "POST").toUpperCase();
      switch (verb.nodeName) {
        case "Gather": {
          const digits = await this.gather(verb);
          if (this.ended) return null;
          if (digits) return { method, url: verb.getAttribute("action") || here, fields: { Digits: digits } };
          note("event", "No key: the line goes on");
          break;
        }
        case "Redirect":
          return { method, url: verb.textContent.trim(), fields: {} };
        case "Dial": {
          const outcome = await this.dial(verb);
          if (verb.getAttribute("action")) {
            return { method, url: verb.getAttribute("action"), fields: { DialCallStatus: outcome } };
          }
          break;
        }
        case "Hangup":
        case "Reject":
          return null;
        default:
          await this.hear(verb);
      }
    }
    note("event", "End of the answer: Twilio hangs up");
    return null;
  }

  // `gather`: the Gather this verb is inside; a key pressed stops what it says.
  async hear(verb, gather = null) {
    if (verb.nodeName === "Say") {
      const lang = verb.getAttribute("language") || "";
      const voice = verb.getAttribute("voice") || "";
      const parts = pieces(verb);
      const text = parts.map((p) => (typeof p === "number" ? ` [${p / 1000} s] ` : p)).join("").replace(/\s+/g, " ");
      const label = document.createElement("span");
      label.className = "voice";
      label.lang = "en";
      label.textContent = `${lang} ${voice}`;
      const words = document.createElement("span");
      words.dir = "auto"; // Arabic reads right to left
      words.textContent = text.trim();
      const item = note("said", [label, " ", words], { lang, "data-voice": voice });
      for (const part of parts) {
        if (this.ended || (gather && gather.stopped)) return;
        if (typeof part === "number") {
          if ($("speak").checked) await sleep(part);
        } else if (part.trim() && !(await speak(part.trim(), lang))) {
          item.classList.add("unvoiced");
        }
      }
    } else if (verb.nodeName === "Play") {
      const url = verb.textContent.trim();
      const item = note("played", `Plays ${url}`);
      const playing = this.play(url);
      const recording = await recordingText(url);
      if (recording) this.showRecording(item, url, recording);
      await playing;
    } else if (verb.nodeName === "Pause") {
      const seconds = parseInt(verb.getAttribute("length") || "1", 10);
      note("event", `Pause ${seconds} s`);
      await sleep(seconds * 1000);
    } else {
      note("event", `<${verb.nodeName}> is not simulated here`);
    }
  }

  // A recorded prompt's line: its language and text, like a <Say>, and the file it comes from.
  showRecording(item, url, recording) {
    window.phone.played.push({ url, lang: recording.lang, text: recording.text });
    const label = document.createElement("span");
    label.className = "voice";
    label.lang = "en";
    label.textContent = `${recording.lang} recording${recording.slow ? ", slowed" : ""}`;
    const words = document.createElement("span");
    words.lang = recording.lang;
    words.dir = "auto";
    words.textContent = recording.text;
    const file = document.createElement("span");
    file.className = "file";
    file.textContent = `${recording.prompt}.wav`;
    item.setAttribute("lang", recording.lang);
    const was = following();
    item.replaceChildren(label, " ", words, " ", file);
    follow(was);
  }

  play(url) {
    return new Promise((resolve) => {
      this.audio = new Audio(url);
      this.audio.onended = this.audio.onpause = () => resolve(); // paused: a key or hang-up cut it short
      this.audio.onerror = () => {
        note("problem", `Cannot play ${url}: is it an audio file?`);
        resolve();
      };
      this.audio.play().catch(() => {});
    });
  }

  // Say what the Gather holds; keys may interrupt it. Then wait `timeout` seconds after the last key.
  async gather(verb) {
    const numDigits = parseInt(verb.getAttribute("numDigits") || "0", 10);
    const timeout = parseInt(verb.getAttribute("timeout") || "5", 10);
    const finish = verb.getAttribute("finishOnKey") ?? "#";
    let done;
    const answered = new Promise((resolve) => { done = resolve; });
    const gather = { digits: "", numDigits, finish, done, timer: null, timeout, stopped: false };
    this.listening = gather;
    status("Speaking: a key cuts it short");
    for (const inner of verb.children) {
      if (this.ended || gather.stopped) break;
      if (["Say", "Play", "Pause"].includes(inner.nodeName)) await this.hear(inner, gather);
      else note("problem", `<${inner.nodeName}> is not allowed inside <Gather>`);
    }
    if (!gather.stopped && !this.ended) this.wait();
    const digits = await answered;
    status("In a call");
    return digits;
  }

  // Wait `timeout` seconds for the (next) key; the status counts them down.
  wait() {
    const gather = this.listening;
    clearTimeout(gather.timer);
    clearInterval(this.ticker);
    const until = Date.now() + gather.timeout * 1000;
    const show = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      status(`Listening: press a key (${left} s left)${gather.digits ? `, keys so far ${gather.digits}` : ""}`);
    };
    show();
    this.ticker = setInterval(show, 250);
    gather.timer = setTimeout(() => this.stopListening(gather.digits), gather.timeout * 1000);
  }

  stopListening(digits) {
    const gather = this.listening;
    if (!gather) return;
    gather.stopped = true;
    clearTimeout(gather.timer);
    clearInterval(this.ticker);
    this.listening = null;
    gather.done(digits);
  }

  press(key) {
    note("key", `You press ${key}`);
    const gather = this.listening;
    if (!gather) {
      note("event", "(the line is not listening for keys now)");
      return;
    }
    gather.stopped = true; // what the Gather still had to say is cut short, as on a phone
    if (window.speechSynthesis) speechSynthesis.cancel();
    if (this.audio) this.audio.pause();
    if (gather.finish && gather.finish.includes(key) && gather.digits) {
      this.stopListening(gather.digits);
      return;
    }
    gather.digits += key;
    if (gather.numDigits && gather.digits.length >= gather.numDigits) this.stopListening(gather.digits);
    else this.wait();
  }

  async dial(verb) {
    const number = verb.textContent.trim();
    const outcome = $("outcome").value;
    note("event", `Dials ${number}: the transfer ${$("outcome").selectedOptions[0].textContent}`);
    status(`Dialling ${number}`);
    await sleep(1000);
    return outcome;
  }

  hangUp() {
    this.ended = true;
    if (window.speechSynthesis) speechSynthesis.cancel();
    if (this.audio) this.audio.pause();
    this.stopListening("");
  }

  end(text) {
    note("event", text);
    status(text);
    $("call").disabled = false;
    $("hangup").disabled = true;
    window.phone.call = null;
  }
}

$("call").addEventListener("click", () => {
  $("transcript").replaceChildren();
  window.phone.spoken = [];
  window.phone.played = [];
  const call = new Call();
  window.phone.call = call;
  $("call").disabled = true;
  $("hangup").disabled = false;
  status("Ringing");
  call.run();
});

$("hangup").addEventListener("click", () => window.phone.call && window.phone.call.hangUp());

// A key with no call going: nothing reaches the line, so say what to do instead of doing nothing.
function press(key) {
  if (window.phone.call) {
    window.phone.call.press(key);
    return;
  }
  status(`You pressed ${key}: press Call first, then the keys go to the line`, true);
  $("call").classList.add("nudge");
  setTimeout(() => $("call").classList.remove("nudge"), 1500);
}

for (const button of document.querySelectorAll(".keypad button")) {
  button.addEventListener("click", () => press(button.dataset.key));
}

document.addEventListener("keydown", (event) => {
  if (event.target.matches("input, select") || !/^[0-9*#]$/.test(event.key)) return;
  press(event.key);
});
