// How the page reaches its session, one of two ways with one interface (`api`, `openStream`):
// - "server": the Python server's JSON API, and its frames by Server-Sent Events;
// - "worker": the static site's Web Worker (worker.js), which runs the same Python session code
//   in Pyodide; requests and frames are messages.
// <html data-transport="…"> says which (the site's build writes "worker"). Nothing is fetched
// from anywhere but the page's own origin, and every URL is relative: the page works from a
// sub-path.

export const transportKind = document.documentElement.dataset.transport === "worker" ? "worker" : "server";

let session = null;
let token = null; // for the server's check that a state change comes from this page
let stream = null;

export function setSession(id, sessionToken) { session = id; token = sessionToken; }

export function say(text) { document.getElementById("message").textContent = text || ""; }

const pause = (seconds) => new Promise((done) => setTimeout(done, seconds * 1000));

// One API call; a refusal is said in the message line (its text names the field) and gives null.
// A busy server (503 with Retry-After) is asked again, a few times, after the time it gives.
// A file's answer (a download) is {text, filename, content_type}.
export let lastRefusal = null; // the last refusal's JSON: {error, field}

export async function api(method, action, { query = {}, body = null, raw = false, quiet = false } = {}) {
  const sent = body === null ? null : raw ? body : JSON.stringify(body);
  const answer = transportKind === "worker"
    ? await worker.request(method, action, query, sent)
    : await serverRequest(method, action, query, sent);
  if (answer.status !== 200) {
    lastRefusal = answer.payload;
    if (!quiet) say(answer.payload.error);
    return null;
  }
  return answer.payload ?? { text: answer.text, filename: answer.filename, content_type: answer.content_type };
}

async function serverRequest(method, action, query, body) {
  const params = new URLSearchParams({ ...(session ? { s: session } : {}), ...query });
  const options = { method, headers: token ? { "X-Chaingrad-Token": token } : {} };
  if (body !== null) {
    options.body = body;
    options.headers["Content-Type"] = "application/json";
  }
  let answer = await fetch(`api/${action}?${params}`, options);
  for (let tries = 0; answer.status === 503 && answer.headers.get("Retry-After") && tries < 5; tries++) {
    const seconds = Number(answer.headers.get("Retry-After")) || 1;
    say(`the server is busy: asking again in ${seconds} s…`);
    await pause(seconds);
    answer = await fetch(`api/${action}?${params}`, options);
  }
  if (answer.ok && !(answer.headers.get("Content-Type") || "").startsWith("application/json")) {
    return { status: 200, text: await answer.text() };
  }
  const payload = await answer.json().catch(() => ({ error: `the server answered ${answer.status}` }));
  return { status: answer.status, payload };
}

// A download: the server's file by its URL; the worker's as a Blob saved under its name.
export function downloadLink(link, action) {
  if (transportKind === "server") {
    link.href = `api/${action}?s=${encodeURIComponent(session)}`;
    return;
  }
  link.href = "#";
  link.onclick = async (event) => {
    event.preventDefault();
    const file = await api("GET", action);
    if (!file) return;
    const url = URL.createObjectURL(new Blob([file.text], { type: file.content_type }));
    const save = Object.assign(document.createElement("a"), { href: url, download: file.filename });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
}

export function openStream(onFrame) {
  if (transportKind === "worker") {
    worker.onFrame = onFrame;
    return;
  }
  if (stream) stream.close();
  stream = new EventSource(`api/stream?s=${encodeURIComponent(session)}`);
  stream.onmessage = (event) => onFrame(JSON.parse(event.data));
}

// ── the static site's worker ────────────────────────────────────────────────────────────

class WorkerLink {
  constructor() {
    this.onFrame = null;
    this.onReady = null; // (milliseconds) when the engine is loaded
    this.failure = null; // why the worker stopped, once it has
    this.start();
  }

  start() {
    this.failure = null;
    this.waiting = new Map();
    this.next = 1;
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = ({ data }) => this.received(data);
    this.worker.onerror = (event) => { event.preventDefault(); this.failed(event.message || "it could not run"); };
  }

  // Reset after a failure: a new worker (the page then starts a new session in it).
  restart() {
    this.worker.terminate();
    this.start();
  }

  received(data) {
    if (data.loading) say(`Loading ${data.loading}…`);
    if (data.ready !== undefined) {
      say("");
      document.documentElement.dataset.engine = data.engine; // what runs the array work, for who asks
      this.onReady?.(data.ready);
    }
    if (data.failed) this.failed(data.failed);
    if (data.frame && this.onFrame) this.onFrame(JSON.parse(data.frame));
    if (data.id) {
      this.waiting.get(data.id)?.(data.answer);
      this.waiting.delete(data.id);
    }
  }

  failed(why) {
    this.failure = why;
    say(stoppedBecause(why));
    for (const done of this.waiting.values()) done({ status: 503, payload: { error: stoppedBecause(why), field: null } });
    this.waiting.clear();
  }

  request(method, action, query, body) {
    if (this.failure) {
      return Promise.resolve({ status: 503, payload: { error: stoppedBecause(this.failure), field: null } });
    }
    const id = this.next++;
    return new Promise((done) => {
      this.waiting.set(id, done);
      this.worker.postMessage({ id, method, action, query: stringValues(query), body: body ?? "" });
    });
  }
}

const stoppedBecause = (why) => `The worker running chaingrad stopped: ${why}. Press Reset to start it again.`;
const stringValues = (query) => Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));

export const worker = transportKind === "worker" ? new WorkerLink() : null;
