// Talking to Lede's REST API with the session cookie and the CSRF token; DOM helpers that never parse HTML.

export function csrfToken() {
  // Read on every request: logging in again (e.g. in another tab) rotates the token.
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export class ApiError extends Error {
  constructor(status, data) {
    super(describeErrors(data) || `The server answered ${status}.`);
    this.status = status;
    this.data = data;
  }

  /** The session is gone (logged out, expired) or its CSRF token is stale: logging in again fixes it. */
  get needsLogin() {
    const detail = (this.data && this.data.detail) || "";
    return this.status === 401 || (this.status === 403 && /credentials|CSRF|authenticat/i.test(detail));
  }
}

/** DRF's error shapes ({field: [msg]}, {sources: [{url: [msg]}]}, {detail}) as [field path, message] pairs. */
export function errorEntries(data, prefix = "") {
  if (data == null) return [];
  if (typeof data === "string") return data ? [[prefix, data]] : [];
  if (Array.isArray(data)) {
    return data.flatMap((item, i) => errorEntries(item, typeof item === "object" && item && prefix ? `${prefix}[${i}]` : prefix));
  }
  return Object.entries(data).flatMap(([key, value]) => {
    const name = key === "detail" || key === "non_field_errors" ? prefix : prefix ? `${prefix}.${key}` : key;
    return errorEntries(value, name);
  });
}

/** The errors of an answer in one readable line. */
export function describeErrors(data) {
  return errorEntries(data)
    .map(([field, message]) => (field ? `${field}: ${message}` : message))
    .join(" ");
}

export async function api(url, { method = "GET", body, form, headers: extra = {} } = {}) {
  const headers = { Accept: "application/json", ...extra };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
  let data = null;
  if (response.status !== 204) {
    const text = await response.text();
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = { detail: `The server answered ${response.status}.` };
    }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Every item of a paginated list endpoint. */
export async function apiAll(url) {
  const items = [];
  let next = url + (url.includes("?") ? "&" : "?") + "page_size=1000";
  while (next) {
    const page = await api(next);
    items.push(...page.results);
    next = page.next;
  }
  return items;
}

const POLL_MS = 700;

/** Follow a worker's job (an import, an archive) through its `status_url` until it is no longer pending or
 * running; `report(job)` is called with each state on the way. Returns the final state. */
export async function followJob(job, report) {
  while (job.status === "pending" || job.status === "running") {
    report(job);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    job = await api(job.status_url);
  }
  return job;
}

/** Create an element; children are nodes or strings (inserted as text, never as HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "style") for (const [name, v] of Object.entries(value)) node.style.setProperty(name, v);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return node;
}

export function pageData() {
  return JSON.parse(document.getElementById("page-data").textContent);
}
