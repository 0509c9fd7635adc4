// Talking to the server: its JSON API, and its frames by Server-Sent Events. Nothing is fetched
// from anywhere but this server.

let session = null;
let token = null; // for the server's check that a state change comes from this page
let stream = null;

export function setSession(id, sessionToken) { session = id; token = sessionToken; }
export function sessionId() { return session; }

export function say(text) { document.getElementById("message").textContent = text || ""; }

const pause = (seconds) => new Promise((done) => setTimeout(done, seconds * 1000));

// One API call; a refusal is said in the message line (its text names the field) and gives null.
// A busy server (503 with Retry-After) is asked again, a few times, after the time it gives.
export let lastRefusal = null; // the last refusal's JSON: {error, field}

export async function api(method, action, { query = {}, body = null, raw = false, quiet = false } = {}) {
  const params = new URLSearchParams({ ...(session ? { s: session } : {}), ...query });
  const options = { method, headers: token ? { "X-Chaingrad-Token": token } : {} };
  if (body !== null) {
    options.body = raw ? body : JSON.stringify(body);
    options.headers["Content-Type"] = "application/json";
  }
  let answer = await fetch(`/api/${action}?${params}`, options);
  for (let tries = 0; answer.status === 503 && answer.headers.get("Retry-After") && tries < 5; tries++) {
    const seconds = Number(answer.headers.get("Retry-After")) || 1;
    say(`the server is busy: asking again in ${seconds} s…`);
    await pause(seconds);
    answer = await fetch(`/api/${action}?${params}`, options);
  }
  const payload = await answer.json().catch(() => ({ error: `the server answered ${answer.status}` }));
  if (!answer.ok) {
    lastRefusal = payload;
    if (!quiet) say(payload.error);
    return null;
  }
  return payload;
}

export function openStream(onFrame) {
  if (stream) stream.close();
  stream = new EventSource(`/api/stream?s=${encodeURIComponent(session)}`);
  stream.onmessage = (event) => onFrame(JSON.parse(event.data));
}
