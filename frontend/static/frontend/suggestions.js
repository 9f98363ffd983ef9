// The model's suggestions on the annotation screen: a hint beside each sentence with its score. The reviewer
// takes the current sentence's with its key (the `suggestion` shortcut of annotator/shortcuts.py) (or its button) or ignores it; nothing is saved without them.
// Whether this reviewer sees any (and the log of what was shown) is the server's: GET …/suggestions/.
import { api } from "./api.js";

/** Sentence id -> {label, score}; empty when the server gives none (its reason is on the status line). */
export async function loadSuggestions(documentId, byId, onTake, takeKey) {
  const found = new Map();
  let answer;
  try {
    answer = await api(`/api/v1/documents/${documentId}/suggestions/`);
  } catch {
    return found;
  }
  for (const row of answer.suggestions) {
    const node = byId.get(row.sentence);
    if (!node) continue;
    found.set(row.sentence, row);
    const hint = document.createElement("button");
    hint.type = "button";
    hint.className = "suggestion";
    hint.dataset.label = row.label;
    hint.textContent = `model: ${row.label} ${Math.round(row.score * 100)}%`;
    hint.setAttribute("aria-label", `Model suggests ${row.label}, score ${Math.round(row.score * 100)} percent; take it`);
    hint.addEventListener("click", (event) => {
      event.stopPropagation();
      onTake(row.sentence, row.label);
    });
    node.append(" ", hint);
  }
  const status = document.getElementById("suggestion-status");
  if (status && found.size) status.textContent = `Model suggestions shown (version ${answer.model_version}): press ${takeKey} to take one.`;
  return found;
}
