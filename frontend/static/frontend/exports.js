// The exports page's archive: ask for the whole-project zip (POST export.zip), follow its build through
// status_url, then offer its download_url. Single files are plain GET forms downloaded with the session.
import { api, followJob } from "./api.js";
import { stalledNote } from "./freshness.js";

const projectId = JSON.parse(document.getElementById("project-id").textContent);
const form = document.getElementById("export-form");
const start = document.getElementById("archive-start");
const progress = document.getElementById("archive-progress");
const status = document.getElementById("archive-status");
const error = document.getElementById("archive-error");
const download = document.getElementById("archive-download");

/** The archive takes the reviewer options only: it always holds the whole project. */
function archiveOptions() {
  const options = new URLSearchParams();
  for (const name of ["pseudonymize", "excel"]) if (form.elements[name].checked) options.set(name, "1");
  const safe = form.querySelector('input[type="checkbox"][name="spreadsheet_safe"]');
  if (!safe.checked) options.set("spreadsheet_safe", "0");
  return options;
}

// The reports describe the whole project: the server refuses a narrowing filter (400), so their buttons send
// only the reviewer options, whatever article, reviewer, label or date is chosen for the other files.
for (const button of form.querySelectorAll("button[data-whole-project]")) {
  button.addEventListener("click", (event) => {
    event.preventDefault();
    const query = archiveOptions().toString();
    window.location.assign(button.formAction + (query ? `?${query}` : ""));
  });
}

start.addEventListener("click", async () => {
  start.disabled = true;
  download.hidden = true;
  error.textContent = "";
  progress.value = 0;
  status.textContent = "Asking for the archive…";
  try {
    const requested = await api(`/api/v1/projects/${projectId}/export.zip?${archiveOptions()}`, { method: "POST" });
    const item = await followJob(requested, (item) => {
      progress.value = item.progress;
      status.textContent =
        stalledNote(item) || (item.status === "pending" ? "Waiting for a worker…" : `Building: ${item.progress}%`);
    });
    progress.value = item.progress;
    if (item.status !== "ready") throw new Error(item.error || "The archive could not be built.");
    status.textContent = "The archive is ready.";
    download.href = item.download_url;
    download.hidden = false;
  } catch (failure) {
    status.textContent = "";
    error.textContent = failure.message;
  } finally {
    start.disabled = false;
  }
});
