// The curator's decision dialog: label, speaker, sources, category and rationale of one sentence's decision.
// A reviewer's speaker or source is taken with a click; the curator may type their own. On a sentence not yet
// decided, a speaker and sources left untouched are left out of the request, so the server keeps those the
// reviewers who gave the label agree on (its one rule); once touched, or on a decision already made, they are sent.
import { el } from "./api.js";

const dialog = () => document.getElementById("decision-dialog");
const field = (id) => document.getElementById(id);

export class DecisionDialog {
  constructor({ defaultLabel, submit }) {
    Object.assign(this, { defaultLabel, submit });
    this.list = field("decision-sources");
    this.row = null;
    this.touched = { speaker: false, sources: false };
    field("decision-speaker").addEventListener("input", () => (this.touched.speaker = true));
    this.list.addEventListener("input", () => (this.touched.sources = true));
    field("decision-add-source").addEventListener("click", () => {
      this.addSource({ url: "", title: "", note: "" });
      this.list.querySelector("li:last-child input").focus();
    });
    field("decision-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    field("decision-cancel").addEventListener("click", () => dialog().close());
  }

  open(row) {
    this.row = row;
    const decision = row.decision;
    this.touched = { speaker: Boolean(decision), sources: Boolean(decision) };
    field("decision-sentence").textContent = row.text;
    field("decision-label").value = decision ? decision.label ?? "" : row.plurality.label ?? this.defaultLabel;
    // Model consensus is offered, never chosen for the curator: they pick it here or not at all.
    const model = field("decision-model");
    model.disabled = !row.posterior;
    model.textContent = row.posterior
      ? `model consensus: ${row.posterior.label} (${Math.round((1 - row.posterior.uncertainty) * 100)}% probable)`
      : "model consensus (after the project report runs)";
    this.showCategory(decision ? decision.category : "");
    field("decision-rationale").value = decision ? decision.rationale : "";
    field("decision-speaker").value = decision ? decision.speaker : "";
    field("decision-agreed-hint").hidden = Boolean(decision);
    this.list.replaceChildren();
    for (const source of decision ? decision.sources : []) this.addSource(source);
    this.offerReviewers(row.labels);
    field("decision-form-error").textContent = "";
    dialog().showModal();
    field("decision-rationale").focus(); // where a curator at the keyboard most often writes
  }

  /** One button per reviewer's speaker and per reviewer's source: a click takes it into the decision. */
  offerReviewers(labels) {
    const speakers = labels.filter((item) => item.speaker);
    field("decision-speaker-options").replaceChildren(
      ...speakers.map((item) =>
        el("button", { type: "button", class: "take", onclick: () => this.takeSpeaker(item.speaker) }, `Take “${item.speaker}” (${item.reviewer})`),
      ),
    );
    field("decision-speaker-offer").hidden = !speakers.length;
    const cited = labels.flatMap((item) => item.sources.map((source) => ({ source, reviewer: item.reviewer })));
    field("decision-source-options").replaceChildren(
      ...cited.map(({ source, reviewer }) =>
        el(
          "button",
          { type: "button", class: "take", dataset: { url: source.url }, onclick: () => this.takeSource(source) },
          `Add “${source.title || source.url}” (${reviewer})`,
        ),
      ),
    );
    field("decision-source-offer").hidden = !cited.length;
    this.markTaken();
  }

  takeSpeaker(name) {
    field("decision-speaker").value = name;
    this.touched.speaker = true;
  }

  takeSource(source) {
    if (!this.sources().some((s) => s.url === source.url)) this.addSource(source);
    this.touched.sources = true;
  }

  addSource(source) {
    const n = this.list.children.length + 1;
    const input = (name, label, value, attrs = {}) => {
      const id = `decision-source-${n}-${name}`;
      return [el("label", { for: id }, label), el("input", { id, name, value: value || "", ...attrs })];
    };
    const item = el(
      "li",
      { class: "decision-source" },
      ...input("url", `Source ${n} address`, source.url, { type: "url", inputmode: "url", maxlength: 2000 }),
      ...input("title", "Title", source.title, { maxlength: 500 }),
      ...input("note", "Note", source.note, { maxlength: 2000 }),
      el("button", { type: "button", onclick: () => this.removeSource(item) }, `Remove source ${n}`),
    );
    this.list.append(item);
    this.markTaken();
  }

  removeSource(item) {
    item.remove();
    this.touched.sources = true;
    this.markTaken();
    field("decision-add-source").focus();
  }

  /** A reviewer's source already in the decision is not offered again. */
  markTaken() {
    const urls = new Set(this.sources().map((s) => s.url));
    for (const button of field("decision-source-options").children) button.disabled = urls.has(button.dataset.url);
  }

  sources() {
    return [...this.list.children]
      .map((item) => ({
        url: item.querySelector("[name=url]").value.trim(),
        title: item.querySelector("[name=title]").value.trim(),
        note: item.querySelector("[name=note]").value.trim(),
      }))
      .filter((source) => source.url || source.title || source.note);
  }

  showCategory(category) {
    const select = field("decision-category");
    select.querySelectorAll("[data-unlisted]").forEach((option) => option.remove());
    if (category && ![...select.options].some((option) => option.value === category)) {
      select.append(el("option", { value: category, dataset: { unlisted: "" } }, `${category} (no longer listed)`));
    }
    select.value = category;
  }

  async send() {
    const select = field("decision-label");
    // By the option, not its value, as a label may be named "model".
    const fromModel = select.selectedOptions[0]?.id === "decision-model";
    const label = fromModel ? null : select.value || null;
    const body = {
      ...(fromModel ? { provenance: "model" } : { label }),
      category: field("decision-category").value,
      rationale: field("decision-rationale").value,
    };
    if (label && this.touched.speaker) body.speaker = field("decision-speaker").value;
    if (label && this.touched.sources) body.sources = this.sources();
    try {
      await this.submit(this.row, body);
      dialog().close();
    } catch (failure) {
      field("decision-form-error").textContent = failure.message;
    }
  }
}
