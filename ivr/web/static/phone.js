"use strict";
// A phone in the browser: posts to the line's webhooks as Twilio does and plays the TwiML answers.
// Verbs run in order; <Gather> waits for the keypad, then times out into the verbs after it.

const MAX_REQUESTS = 40; // a call that goes round in circles is stopped
const VOICE_URL = "/voice";
const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// What the page said and pressed, for testers' scripts (and the browser test).
window.phone = { spoken: [], call: null };

function hex(n) {
  const bytes = crypto.getRandomValues(new Uint8Array(n / 2));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function note(kind, text, attributes = {}) {
  const item = document.createElement("li");
  item.className = kind;
  for (const [name, value] of Object.entries(attributes)) item.setAttribute(name, value);
  item.append(text);
  $("transcript").append(item);
  item.scrollIntoView({ block: "nearest" });
  return item;
}

function status(text) {
  $("status").textContent = text;
}

// Browsers know "ar", not Twilio's "arb" (Modern Standard Arabic).
function browserLang(lang) {
  return lang === "arb" ? "ar" : lang || "";
}

function speak(text, lang) {
  window.phone.spoken.push({ text, lang });
  if (!$("speak").checked || !window.speechSynthesis) return Promise.resolve();
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = browserLang(lang);
    const base = utterance.lang.split("-")[0];
    const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith(base));
    if (voice) utterance.voice = voice;
    utterance.onend = utterance.onerror = () => resolve();
    speechSynthesis.speak(utterance);
    if (!voice) setTimeout(resolve, 300); // no voice for this language: nothing will be heard
  });
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
      const item = note("said", "", { lang, "data-voice": voice });
      const label = document.createElement("span");
      label.className = "voice";
      label.lang = "en";
      label.textContent = `${lang} ${voice}`;
      const words = document.createElement("span");
      words.dir = "auto"; // Arabic reads right to left
      words.textContent = text.trim();
      item.append(label, words);
      for (const part of parts) {
        if (this.ended || (gather && gather.stopped)) return;
        if (typeof part === "number") {
          if ($("speak").checked) await sleep(part);
        } else if (part.trim()) {
          await speak(part.trim(), lang);
        }
      }
    } else if (verb.nodeName === "Play") {
      const url = verb.textContent.trim();
      note("played", `Plays ${url}`);
      await this.play(url);
    } else if (verb.nodeName === "Pause") {
      const seconds = parseInt(verb.getAttribute("length") || "1", 10);
      note("event", `Pause ${seconds} s`);
      await sleep(seconds * 1000);
    } else {
      note("event", `<${verb.nodeName}> is not simulated here`);
    }
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
    for (const inner of verb.children) {
      if (this.ended || gather.stopped) break;
      if (["Say", "Play", "Pause"].includes(inner.nodeName)) await this.hear(inner, gather);
      else note("problem", `<${inner.nodeName}> is not allowed inside <Gather>`);
    }
    if (!gather.stopped && !this.ended) {
      status(`Listening: press a key (${timeout} s)`);
      this.wait();
    }
    const digits = await answered;
    status("In a call");
    return digits;
  }

  wait() {
    const gather = this.listening;
    clearTimeout(gather.timer);
    gather.timer = setTimeout(() => this.stopListening(gather.digits), gather.timeout * 1000);
  }

  stopListening(digits) {
    const gather = this.listening;
    if (!gather) return;
    gather.stopped = true;
    clearTimeout(gather.timer);
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
  const call = new Call();
  window.phone.call = call;
  $("call").disabled = true;
  $("hangup").disabled = false;
  status("Ringing");
  call.run();
});

$("hangup").addEventListener("click", () => window.phone.call && window.phone.call.hangUp());

for (const button of document.querySelectorAll(".keypad button")) {
  button.addEventListener("click", () => window.phone.call && window.phone.call.press(button.dataset.key));
}

document.addEventListener("keydown", (event) => {
  if (event.target.matches("input, select") || !/^[0-9*#]$/.test(event.key) || !window.phone.call) return;
  window.phone.call.press(event.key);
});
