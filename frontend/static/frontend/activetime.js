// Active time on each sentence of the annotation screen: counted while the tab is visible and the reviewer
// has given input (a key, the mouse, a touch, a scroll) within the last IDLE_MS; saved with the label.

export const IDLE_MS = 60_000;
// The server keeps at most this many seconds a label (annotator.models.annotations.MAX_LABEL_SECONDS).
const MAX_SECONDS = 3600;
const INPUTS = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart", "scroll"];

export class ActiveTime {
  constructor() {
    this.spent = new Map(); // sentence id -> milliseconds
    this.sentence = null;
    this.visible = document.visibilityState === "visible";
    this.mark = this.lastInput = performance.now();
    // Capture, so that a label's key counts its own moment before the screen saves the label.
    for (const type of INPUTS) window.addEventListener(type, () => this.input(), { capture: true, passive: true });
    document.addEventListener("visibilitychange", () => {
      this.settle();
      this.visible = document.visibilityState === "visible";
    });
  }

  /** Add the time since the last mark to the sentence in view: only while visible, and not past the idle limit. */
  settle() {
    const now = performance.now();
    const until = Math.min(now, this.lastInput + IDLE_MS);
    if (this.sentence != null && this.visible && until > this.mark)
      this.spent.set(this.sentence, (this.spent.get(this.sentence) || 0) + (until - this.mark));
    this.mark = now;
  }

  input() {
    this.settle();
    this.lastInput = performance.now();
  }

  /** From now on the time goes to sentence `id`. */
  follow(id) {
    this.settle();
    this.sentence = id;
  }

  /** The active seconds spent on sentence `id` so far on this page, to a tenth. */
  seconds(id) {
    this.settle();
    return Math.min(MAX_SECONDS, Math.round((this.spent.get(id) || 0) / 100) / 10);
  }
}
