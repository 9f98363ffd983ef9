// A persistent queue of label saves: every change is kept in localStorage until the server confirms it.
//
// Each change is the sentence's whole new state (PUT) or its removal (DELETE). Changes go out one at a time,
// in the order they were made, so the last one wins on the server too; the outcome of each is one of:
//   - confirmed (2xx, or 404 for a DELETE: already gone): removed from the queue;
//   - transient (network down, 5xx, 408, 429): kept, retried with exponential backoff;
//   - login needed (401, or 403 from a stale session/CSRF token): kept, the queue pauses until resume();
//   - rejected (any other 4xx, e.g. a 400 naming a field): removed and reported, never silently.
import { api, ApiError } from "./api.js";

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

export class SaveQueue extends EventTarget {
  constructor(storageKey) {
    super();
    this.storageKey = storageKey;
    this.ops = this.load();
    this.waiters = new Map();
    this.failures = 0;
    this.state = this.ops.length ? "saving" : "saved";
    this.lastError = null;
    this.retryAt = null;
    this.timer = null;
    this.running = false;
    this.serial = Date.now();
    window.addEventListener("online", () => this.resume());
    window.addEventListener("storage", (event) => {
      if (event.key === "lede.session-resumed") this.resume();
    });
  }

  load() {
    try {
      const ops = JSON.parse(localStorage.getItem(this.storageKey) || "[]");
      return Array.isArray(ops) ? ops.map((op) => ({ ...op, inFlight: false })) : [];
    } catch {
      return [];
    }
  }

  persist() {
    const ops = this.ops.map(({ inFlight, ...op }) => op);
    if (ops.length) localStorage.setItem(this.storageKey, JSON.stringify(ops));
    else localStorage.removeItem(this.storageKey);
  }

  /** The change still waiting for `sentence`, if any: {method, body}. */
  pendingFor(sentence) {
    for (let i = this.ops.length - 1; i >= 0; i--) if (this.ops[i].sentence === sentence) return this.ops[i];
    return null;
  }

  /** Queue `state` ({label, sources, speaker, note} or null to delete) for `sentence`; resolves with the outcome. */
  enqueue(sentence, state) {
    const op = {
      id: ++this.serial,
      sentence,
      method: state ? "PUT" : "DELETE",
      body: state || undefined,
    };
    this.ops.push(op);
    const promise = new Promise((resolve) => this.waiters.set(op.id, [resolve]));
    this.persist();
    if (this.state !== "login" && this.state !== "failed") this.setState("saving");
    this.pump();
    return promise;
  }

  /** Try again now: after a login, when the network is back, or when the reviewer asks. */
  resume() {
    clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
    if (!this.ops.length) return this.setState("saved");
    this.setState("saving");
    this.pump();
  }

  setState(state) {
    this.state = state;
    this.dispatchEvent(new Event("change"));
  }

  settle(op, outcome) {
    this.ops = this.ops.filter((queued) => queued.id !== op.id);
    this.persist();
    for (const resolve of this.waiters.get(op.id) || []) resolve(outcome);
    this.waiters.delete(op.id);
    this.dispatchEvent(new CustomEvent(outcome.ok ? "saved" : "rejected", { detail: { op, ...outcome } }));
    this.dispatchEvent(new Event("change"));
  }

  async pump() {
    if (this.running || this.state === "login" || this.timer) return;
    this.running = true;
    while (this.ops.length) {
      const op = this.ops[0];
      op.inFlight = true;
      let outcome;
      try {
        const data = await api(`/api/v1/sentences/${op.sentence}/annotation/`, { method: op.method, body: op.body });
        outcome = { ok: true, data };
      } catch (error) {
        outcome = this.classify(op, error);
      }
      op.inFlight = false;
      if (outcome.ok || outcome.rejected) {
        this.failures = 0;
        this.lastError = outcome.rejected ? outcome.error : null;
        this.settle(op, outcome);
        continue;
      }
      this.lastError = outcome.error;
      if (outcome.login) {
        this.setState("login");
      } else {
        const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)];
        this.failures += 1;
        this.retryAt = Date.now() + delay;
        this.timer = setTimeout(() => this.resume(), delay);
        this.setState("failed");
      }
      this.running = false;
      return;
    }
    this.running = false;
    this.setState("saved");
  }

  classify(op, error) {
    if (!(error instanceof ApiError)) return { error: new Error("The network is unreachable.") };
    if (op.method === "DELETE" && error.status === 404) return { ok: true, data: null };
    if (error.needsLogin) return { login: true, error };
    if (error.status >= 500 || error.status === 408 || error.status === 429) return { error };
    return { ok: false, rejected: true, error };
  }
}
