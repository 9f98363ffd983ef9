// An owner's invitation links on the Manage page: create (POST invitations/), list with a Copy button, revoke (DELETE).
import { api, apiAll, el } from "./api.js";

const projectId = JSON.parse(document.getElementById("project-id").textContent);
const base = `/api/v1/projects/${projectId}/invitations/`;
const form = document.getElementById("invitation-form");
const list = document.getElementById("invitation-list");
const error = document.getElementById("invitation-error");
const status = document.getElementById("invitation-status");
const DAY_MS = 24 * 60 * 60 * 1000;
const STATUS_WORDS = { active: "active", expired: "expired", used_up: "used up", revoked: "revoked" };

function describe(invitation) {
  const uses = invitation.max_uses ? `${invitation.uses} of ${invitation.max_uses} used` : `${invitation.uses} used`;
  const expires = invitation.expires ? `expires ${new Date(invitation.expires).toLocaleString()}` : "never expires";
  return `${STATUS_WORDS[invitation.status]} · ${uses} · ${invitation.status === "active" ? expires : ""}`.replace(/ · $/, "");
}

/** Copy with the Clipboard API; where it is refused, select the link so that Ctrl+C copies it. */
async function copyLink(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = "Link copied.";
  } catch {
    input.focus();
    input.select();
    status.textContent = "The link is selected: press Ctrl+C (⌘C) to copy it.";
  }
}

async function revoke(invitation) {
  error.textContent = "";
  try {
    await api(`${base}${invitation.id}/`, { method: "DELETE" });
    status.textContent = "Link revoked: nobody else can join with it.";
    await loadInvitations();
  } catch (failure) {
    error.textContent = failure.message;
  }
}

function item(invitation) {
  const inputId = `invitation-url-${invitation.id}`;
  const input = el("input", { id: inputId, type: "text", readonly: true, value: invitation.url, class: "invitation-url" });
  const active = invitation.status === "active";
  return el(
    "li",
    { class: "invitation", dataset: { id: invitation.id, status: invitation.status } },
    el("label", { for: inputId }, el("strong", {}, invitation.role), " ", el("span", { class: "muted" }, describe(invitation))),
    active ? input : null,
    active
      ? el(
          "span",
          { class: "actions" },
          el("button", { type: "button", onclick: () => copyLink(input), "aria-label": `Copy the ${invitation.role} link` }, "Copy link"),
          el("button", { type: "button", onclick: () => revoke(invitation), "aria-label": `Revoke the ${invitation.role} link` }, "Revoke"),
        )
      : null,
  );
}

async function loadInvitations() {
  const invitations = await apiAll(base);
  list.replaceChildren(...invitations.map(item));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const fields = form.elements;
  const body = { role: fields.role.value };
  if (fields.expires.value) body.expires = new Date(Date.now() + Number(fields.expires.value) * DAY_MS).toISOString();
  if (fields.max_uses.value.trim()) body.max_uses = Number(fields.max_uses.value);
  try {
    const invitation = await api(base, { method: "POST", body });
    form.reset();
    await loadInvitations();
    status.textContent = `New ${invitation.role} link made: copy it and send it to the people who should join.`;
  } catch (failure) {
    error.textContent = failure.message;
  }
});

loadInvitations();
