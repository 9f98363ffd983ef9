// Curator view: restore a line that segmentation kept out of the sentences, then show the article again.
import { api, pageData } from "./api.js";

const data = pageData();
const status = document.getElementById("restore-status");

for (const button of document.querySelectorAll("#removed-list button.restore")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = "Restoring…";
    try {
      await api(`/api/v1/documents/${data.document}/restore/`, { method: "POST", body: { start: Number(button.dataset.start) } });
      window.location.reload();
    } catch (error) {
      status.textContent = `Could not restore the line: ${error.message}`;
      button.disabled = false;
    }
  });
}
