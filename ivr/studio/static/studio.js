// Record in the browser (MediaRecorder): record, listen back, record again, send to the studio.
"use strict";
const csrf = document.getElementById("csrf").value;

for (const section of document.querySelectorAll("section.prompt")) {
  const [record, stop, send] = ["record", "stop", "send"].map((name) => section.querySelector("." + name));
  const back = section.querySelector("audio.back");
  const message = section.querySelector(".recorder .message");
  let recorder = null, take = null;

  const say = (text, kind) => { message.textContent = text; message.className = "message " + (kind || ""); };

  record.addEventListener("click", async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      say("The microphone is not allowed or not found: allow it in the browser, then try again.", "error");
      return;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.addEventListener("dataavailable", (event) => chunks.push(event.data));
    recorder.addEventListener("stop", () => {
      stream.getTracks().forEach((track) => track.stop());
      take = new Blob(chunks, { type: recorder.mimeType });
      back.src = URL.createObjectURL(take);
      back.hidden = false;
      send.disabled = false;
      record.disabled = false;
      record.textContent = "Record again";
      say("Listen back; send it, or record again.");
    });
    recorder.start();
    record.disabled = true; stop.disabled = false; send.disabled = true;
    say("Recording... press Stop when you have read the text.");
  });

  stop.addEventListener("click", () => { stop.disabled = true; recorder.stop(); });

  send.addEventListener("click", async () => {
    send.disabled = true;
    say("Sending...");
    const form = new FormData();
    form.append("csrf", csrf);
    form.append("audio", take, "take." + (take.type.includes("ogg") ? "ogg" : "webm"));
    try {
      const answer = await fetch(section.dataset.upload, { method: "POST", body: form,
                                                           headers: { "Accept": "application/json" } });
      const result = await answer.json();
      say(result.message, result.ok ? "sent" : "error");
      if (!result.ok) send.disabled = false;
      else section.dataset.sent = result.version;
    } catch (error) {
      say("Sending failed (the connection?): try again.", "error");
      send.disabled = false;
    }
  });
}
