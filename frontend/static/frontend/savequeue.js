// A persistent queue of label saves: every change is kept in localStorage until the server confirms it.
//
// Each change is the sentence's whole new state (PUT) or its removal (DELETE). Changes go out one at a time,
// in the order they were made, so the last one wins on the server too; the outcome of each is one of:
//   - confirmed (2xx, or 404 for a DELETE: already gone): removed from the queue;
//   - transient (network down, 5xx, 408, 429): kept, retried with exponential backoff;
//   - login needed (401, or 403 from a stale session/CSRF token): kept, the queue pauses until resume();
//   - another user (409 naming `user`: the browser is now logged in as someone else): kept, the queue stops;
//   - rejected (any other 4xx, e.g. a 400 naming a field): removed and reported, never silently.
//
// Each browser tab has a queue of its own (`<prefix>/<tab id>`, the id kept in sessionStorage so that a reload or
// the next article in the same tab finds it): two tabs writing one shared list would overwrite each other's
// changes. A tab that goes away with changes still queued leaves them behind; an open tab adopts them, in the
// order they were made. A tab is gone when it said so on `pagehide` or, where the browser has Web Locks (any
// https or localhost page), when it no longer holds the lock named after its queue; the queues are read and
// adopted under one more lock, so no change is ever taken by two tabs.
//
// A queue belongs to one user: its keys start with `lede.queue.<username>`, only that user's pages adopt its
// changes, and every change is sent with `X-Lede-User`, so that the server refuses it when the browser's
// session has meanwhile become another user's (a login through the session dialog as someone else). Changes
// that another user left in this browser are never sent as this one; `waitingForOthers()` counts them, so that
// the page can say they still wait.
import { api, ApiError } from "./api.js";

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const ADOPT_EVERY_MS = 15000;
const TAB_ID_KEY = "lede.tab";
const QUEUE_KEY = "lede.queue.";
const locks = navigator.locks; // undefined outside a secure context

function newTabId() {
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
}

/** Take lock `name` for the life of the page if nobody holds it; resolve with whether we got it. */
function holdLock(name) {
  return new Promise((resolve) => {
    locks.request(name, { ifAvailable: true }, (lock) => {
      resolve(Boolean(lock));
      return lock ? new Promise(() => {}) : undefined;
    });
  });
}

/** A stored queue: {ops, closed}. Earlier versions stored the bare list of ops. */
function readRecord(key) {
  try {
    const record = JSON.parse(localStorage.getItem(key) || "[]");
    const ops = Array.isArray(record) ? record : record.ops;
    return {
      ops: (Array.isArray(ops) ? ops : []).map((op) => ({ ...op, at: op.at ?? op.id, inFlight: false })),
      closed: Boolean(record.closed),
    };
  } catch {
    return { ops: [], closed: true };
  }
}

export class SaveQueue extends EventTarget {
  /** This tab's queue, with the changes that tabs gone before it left behind. */
  static async open(user) {
    const queue = new SaveQueue(user);
    await queue.exclusively(async () => {
      await queue.claimTab();
      queue.ops = readRecord(queue.storageKey).ops;
      await queue.adoptOrphans();
    });
    queue.state = queue.ops.length ? "saving" : "saved";
    setInterval(() => queue.adopt(), ADOPT_EVERY_MS);
    return queue;
  }

  constructor(user) {
    super();
    const prefix = `${QUEUE_KEY}${user}`;
    this.user = user;
    this.prefix = prefix;
    this.storageKey = null;
    this.ops = [];
    this.closed = false;
    this.waiters = new Map();
    this.failures = 0;
    this.state = "saved";
    this.lastError = null;
    this.retryAt = null;
    this.timer = null;
    this.running = false;
    this.serial = 0;
    window.addEventListener("online", () => this.resume());
    window.addEventListener("storage", (event) => {
      if (event.key === "lede.session-resumed") this.resume();
      else if (event.key?.startsWith(`${prefix}/`) && event.key !== this.storageKey) setTimeout(() => this.adopt(), 300);
      else if (event.key?.startsWith(QUEUE_KEY)) this.dispatchEvent(new Event("change"));
    });
    window.addEventListener("pagehide", () => {
      this.closed = true;
      this.persist();
    });
    window.addEventListener("pageshow", (event) => {
      // Back from the back-forward cache: another tab may have adopted the changes meanwhile.
      if (!event.persisted) return;
      this.exclusively(async () => {
        this.closed = false;
        this.ops = readRecord(this.storageKey).ops;
        this.persist();
      }).then(() => this.resume());
    });
  }

  /** Run `work` while no other tab reads or adopts queues. */
  exclusively(work) {
    return locks ? locks.request(this.prefix, work) : work();
  }

  async claimTab() {
    let tab = sessionStorage.getItem(TAB_ID_KEY) || newTabId();
    // A duplicated tab inherits sessionStorage, so its id may be one that the original tab still holds.
    if (locks && !(await holdLock(`${this.prefix}/${tab}`))) {
      tab = newTabId();
      await holdLock(`${this.prefix}/${tab}`);
    }
    sessionStorage.setItem(TAB_ID_KEY, tab);
    this.storageKey = `${this.prefix}/${tab}`;
  }

  /** Move the changes of gone tabs into this queue (call exclusively); return whether there were any. */
  async adoptOrphans() {
    const held = locks ? new Set((await locks.query()).held.map((lock) => lock.name)) : null;
    const orphans = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key === this.storageKey || !(key === this.prefix || key.startsWith(`${this.prefix}/`))) continue;
      const record = readRecord(key);
      if (key === this.prefix || record.closed || (held && !held.has(key))) orphans.push([key, record.ops]);
    }
    if (!orphans.length) return false;
    const waiting = this.ops.filter((op) => !op.inFlight);
    const adopted = orphans.flatMap(([, ops]) => ops).map((op) => ({ ...op, id: this.nextId() }));
    this.ops = [
      ...this.ops.filter((op) => op.inFlight),
      ...[...waiting, ...adopted].sort((a, b) => a.at - b.at),
    ];
    this.persist();
    for (const [key] of orphans) localStorage.removeItem(key);
    return true;
  }

  async adopt() {
    if (!this.storageKey || !(await this.exclusively(() => this.adoptOrphans()))) return;
    this.dispatchEvent(new Event("adopted"));
    if (this.state === "saved") this.setState("saving");
    this.pump();
  }

  nextId() {
    this.serial += 1;
    return this.serial;
  }

  persist() {
    const ops = this.ops.map(({ inFlight, ...op }) => op);
    if (ops.length) localStorage.setItem(this.storageKey, JSON.stringify({ ops, closed: this.closed }));
    else localStorage.removeItem(this.storageKey);
  }

  /** The changes other users left in this browser, unsent: [[username, count], ...]. Usernames hold no "/". */
  waitingForOthers() {
    const counts = new Map();
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key?.startsWith(QUEUE_KEY)) continue;
      const user = key.slice(QUEUE_KEY.length).split("/")[0];
      const count = user === this.user ? 0 : readRecord(key).ops.length;
      if (count) counts.set(user, (counts.get(user) ?? 0) + count);
    }
    return [...counts];
  }

  /** The change still waiting for `sentence`, if any: {method, body}. */
  pendingFor(sentence) {
    for (let i = this.ops.length - 1; i >= 0; i--) if (this.ops[i].sentence === sentence) return this.ops[i];
    return null;
  }

  /** Queue `state` ({label, sources, speaker, note} or null to delete) for `sentence`; resolves with the outcome. */
  enqueue(sentence, state) {
    const op = {
      id: this.nextId(),
      at: Date.now(),
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
    if (this.running || this.state === "login" || this.state === "other-user" || this.timer) return;
    this.running = true;
    while (this.ops.length) {
      const op = this.ops[0];
      op.inFlight = true;
      let outcome;
      try {
        const data = await api(`/api/v1/sentences/${op.sentence}/annotation/`, {
          method: op.method,
          body: op.body,
          headers: { "X-Lede-User": this.user },
        });
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
      } else if (outcome.otherUser) {
        this.setState("other-user");
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
    if (error.status === 409 && error.data?.user) return { otherUser: true, error };
    if (error.status >= 500 || error.status === 408 || error.status === 429) return { error };
    return { ok: false, rejected: true, error };
  }
}
