// The sources panel of the annotation screen: add, edit and remove a sentence's sources; name its speaker.
import { el } from "./api.js";

function safeHref(url) {
  return /^https?:\/\//i.test(url) ? url : null;
}

export class SourcesPanel {
  constructor({ stateOf, change, textOf, speakers, onClose }) {
    Object.assign(this, { stateOf, change, textOf, onClose });
    this.root = document.getElementById("sources-panel");
    this.list = document.getElementById("sources-list");
    this.form = document.getElementById("source-form");
    this.error = document.getElementById("source-error");
    this.legend = document.getElementById("source-form-legend");
    this.cancelEdit = document.getElementById("source-cancel-edit");
    this.needsLabel = document.getElementById("sources-needs-label");
    this.speaker = document.getElementById("speaker");
    this.datalist = document.getElementById("speakers");
    this.speakers = new Set(speakers);
    this.sentence = null;
    this.editing = null;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.cancelEdit.addEventListener("click", () => this.edit(null));
    document.getElementById("close-sources").addEventListener("click", () => this.close());
  }

  isOpen() {
    return !this.root.hidden;
  }

  open(sentence) {
    if (sentence == null) return;
    this.root.hidden = false;
    this.show(sentence);
    document.getElementById("source-url").focus();
  }

  close() {
    this.root.hidden = true;
    this.onClose();
  }

  /** Keep an open panel on the selected sentence. */
  follow(sentence) {
    if (this.isOpen() && sentence !== this.sentence) this.show(sentence);
    else if (this.isOpen()) this.renderList();
  }

  show(sentence) {
    this.sentence = sentence;
    this.editing = null;
    this.error.textContent = "";
    this.form.reset();
    document.getElementById("sources-sentence").textContent = this.textOf(sentence);
    const state = this.stateOf(sentence);
    this.speaker.value = state ? state.speaker || "" : "";
    this.edit(null);
    this.renderList();
  }

  renderList() {
    const state = this.stateOf(this.sentence);
    this.needsLabel.hidden = Boolean(state);
    for (const control of this.form.elements) {
      if (control.id !== "close-sources") control.disabled = !state;
    }
    this.datalist.replaceChildren(...[...this.speakers].sort().map((name) => el("option", { value: name })));
    const sources = (state && state.sources) || [];
    this.list.replaceChildren(
      ...sources.map((source, index) => {
        const href = safeHref(source.url);
        return el(
          "li",
          { class: "source" },
          href ? el("a", { href, target: "_blank", rel: "noopener noreferrer" }, source.title || source.url) : source.url,
          source.title ? el("span", { class: "muted url" }, source.url) : null,
          source.note ? el("p", { class: "note" }, source.note) : null,
          el(
            "span",
            { class: "actions" },
            el("button", { type: "button", onclick: () => this.edit(index), "aria-label": `Edit source ${index + 1}` }, "Edit"),
            el(
              "button",
              { type: "button", onclick: () => this.remove(index), "aria-label": `Remove source ${index + 1}` },
              "Remove",
            ),
          ),
        );
      }),
    );
  }

  edit(index) {
    this.editing = index;
    const state = this.stateOf(this.sentence);
    const source = index == null ? { url: "", title: "", note: "" } : state.sources[index];
    this.form.elements.url.value = source.url;
    this.form.elements.title.value = source.title || "";
    this.form.elements.note.value = source.note || "";
    this.legend.textContent = index == null ? "Add a source" : `Edit source ${index + 1}`;
    this.cancelEdit.hidden = index == null;
    if (index != null) this.form.elements.url.focus();
  }

  async remove(index) {
    const state = this.stateOf(this.sentence);
    const sources = state.sources.filter((_, i) => i !== index);
    await this.submit({ ...state, sources }, null);
  }

  async save() {
    const state = this.stateOf(this.sentence);
    if (!state) return;
    const url = this.form.elements.url.value.trim();
    const entry = { url, title: this.form.elements.title.value.trim(), note: this.form.elements.note.value.trim() };
    const sources = [...(state.sources || [])];
    if (this.editing != null) sources[this.editing] = entry;
    else if (url) sources.push(entry);
    const speaker = this.speaker.value.trim();
    await this.submit({ ...state, sources, speaker }, url || this.editing != null ? entry : null);
  }

  /** Queue the new state; if the server refuses it, put the typed source back in the form with its message. */
  async submit(state, typed) {
    const sentence = this.sentence;
    const editing = this.editing;
    this.error.textContent = "";
    if (state.speaker) this.speakers.add(state.speaker);
    const outcome = this.change(sentence, state);
    this.edit(null);
    this.renderList();
    const result = await outcome;
    if (result.ok || this.sentence !== sentence) return;
    this.error.textContent = result.error.message;
    if (typed) {
      this.editing = editing;
      this.form.elements.url.value = typed.url;
      this.form.elements.title.value = typed.title;
      this.form.elements.note.value = typed.note;
      this.legend.textContent = editing == null ? "Add a source" : `Edit source ${editing + 1}`;
      this.form.elements.url.focus();
    }
  }
}
