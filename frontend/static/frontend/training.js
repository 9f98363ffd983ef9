// Training articles: once a reviewer's answer on a sentence is saved, show the reference label and why
// (GET sentences/{id}/reference/, which answers only after the reviewer has labelled the sentence).
import { api, el } from "./api.js";

/** Follow `queue`'s saved labels and show each sentence's reference in `panel`. */
export function showReferences({ queue, panel, textOf }) {
  panel.hidden = false;
  const list = panel.querySelector("ol");
  queue.addEventListener("saved", async (event) => {
    const { op } = event.detail;
    if (op.method !== "PUT") return;
    let reference;
    try {
      reference = await api(`/api/v1/sentences/${op.sentence}/reference/`);
    } catch {
      return; // no reference for this sentence
    }
    const right = reference.label === op.body.label;
    const verdict = right ? "Right" : `You said ${op.body.label}; the reference is ${reference.label}`;
    list.querySelector(`[data-sentence="${op.sentence}"]`)?.remove();
    list.prepend(
      el(
        "li",
        { class: right ? "reference right" : "reference wrong", dataset: { sentence: op.sentence } },
        el("q", {}, textOf(op.sentence)),
        el("p", {}, el("strong", {}, `${verdict}.`), ` ${reference.explanation}`),
      ),
    );
  });
}
