// Talking to the server: its JSON API, and its frames by Server-Sent Events. Nothing is fetched
// from anywhere but this server.

let session = null;
let stream = null;

export function setSession(id) { session = id; }
export function sessionId() { return session; }

export function say(text) { document.getElementById("message").textContent = text || ""; }

// One API call; a refusal is said in the message line (its text names the field) and gives null.
export async function api(method, action, { query = {}, body = null, raw = false } = {}) {
  const params = new URLSearchParams({ ...(session ? { s: session } : {}), ...query });
  const options = { method, headers: {} };
  if (body !== null) {
    options.body = raw ? body : JSON.stringify(body);
    options.headers["Content-Type"] = "application/json";
  }
  const answer = await fetch(`/api/${action}?${params}`, options);
  const payload = await answer.json().catch(() => ({ error: `the server answered ${answer.status}` }));
  if (!answer.ok) {
    say(payload.error);
    return null;
  }
  return payload;
}

export function openStream(onFrame) {
  if (stream) stream.close();
  stream = new EventSource(`/api/stream?s=${encodeURIComponent(session)}`);
  stream.onmessage = (event) => onFrame(JSON.parse(event.data));
}
