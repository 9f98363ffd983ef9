// Label colours and progress bars drawn by the server as data attributes, turned into styles: the
// Content-Security-Policy refuses style attributes, but not styles that a script of Lede's own sets.

/** Give every element within `root` the styles its data-label-color, data-label-ink and data-fill-percent name. */
export function applyDataStyles(root = document) {
  for (const node of root.querySelectorAll("[data-label-color]")) {
    node.style.setProperty("--label-color", node.dataset.labelColor);
    if (node.dataset.labelInk) node.style.setProperty("--label-ink", node.dataset.labelInk);
  }
  for (const node of root.querySelectorAll("[data-fill-percent]")) node.style.width = `${node.dataset.fillPercent}%`;
}

applyDataStyles();
