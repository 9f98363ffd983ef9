// Small SVG charts drawn with DOM calls (no library): interval, bars, shares, heatmap. Text is set with textContent.
const NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) if (value != null) node.setAttribute(key, value);
  for (const child of children.flat()) {
    if (child == null) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

const text = (x, y, content, attrs = {}) => svg("text", { x, y, ...attrs }, content);
export const fmt = (value, digits = 3) => (value == null || Number.isNaN(value) ? "n/a" : Number(value).toFixed(digits));
/** A count that may be weighted (a tie shares a sentence): 1 and 2.5, never 1.0. */
export const amount = (value) => (value == null || Number.isNaN(value) ? "n/a" : String(Math.round(Number(value) * 10) / 10));

// Charts are laid out for the width they are shown at and never drawn smaller, so their 12px text stays 12px.
const MIN_WIDTH = 300;
const MAX_WIDTH = 560;
const CHAR_WIDTH = 7;

/** The width to lay a chart out for in this holder: its own, within what the layouts allow. */
export function widthFor(holder) {
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, holder.clientWidth));
}

const shorten = (name, room) => {
  const chars = Math.max(4, Math.floor(room / CHAR_WIDTH));
  return name.length > chars ? name.slice(0, chars - 1) + "…" : name;
};

function frame(width, height, title) {
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title }, svg("title", {}, title));
  // Set through the DOM, not as a style attribute, which the Content-Security-Policy refuses.
  chart.style.minWidth = `${width}px`;
  chart.style.maxWidth = `${width * 1.25}px`;
  return chart;
}

/** Rows of point estimates with 95% intervals on a -1..1 axis, with Krippendorff's 0.667 and 0.8 marks. */
export function intervalChart(rows, { title, width = MAX_WIDTH }) {
  const labelWidth = Math.round(Math.min(170, width * 0.4));
  const rowHeight = 26;
  const height = 40 + rows.length * rowHeight;
  const x0 = labelWidth;
  const x1 = width - 60;
  const x = (v) => x0 + ((Math.max(-1, Math.min(1, v)) + 1) / 2) * (x1 - x0);
  const chart = frame(width, height, title);
  for (const mark of [-1, 0, 0.667, 0.8, 1]) {
    const threshold = mark > 0 && mark < 1;
    const stroke = mark === 0 ? "#9aa3ae" : "#d9dde3";
    chart.append(
      svg("line", { x1: x(mark), x2: x(mark), y1: 18, y2: height - 6, stroke, "stroke-dasharray": threshold ? "4 3" : null }),
    );
    if (!threshold) chart.append(text(x(mark), 12, String(mark), { "text-anchor": "middle", fill: "#5b6574" }));
  }
  rows.forEach((row, i) => {
    const y = 34 + i * rowHeight;
    chart.append(text(labelWidth - 8, y + 4, shorten(row.name, labelWidth - 8), { "text-anchor": "end" }));
    if (row.value == null) {
      chart.append(text(x0 + 4, y + 4, "not enough labels", { fill: "#5b6574" }));
      return;
    }
    if (row.ci) chart.append(svg("line", { x1: x(row.ci[0]), x2: x(row.ci[1]), y1: y, y2: y, stroke: "#1f5fbf", "stroke-width": 3 }));
    chart.append(
      svg("circle", { cx: x(row.value), cy: y, r: 6, fill: "#1f5fbf" }),
      text(x1 + 8, y + 4, fmt(row.value), { "font-weight": "600" }),
    );
  });
  return chart;
}

/** Horizontal bars on -1..1 (negative to the left of zero), each with its name, value and a note. */
export function barChart(rows, { title, width = MAX_WIDTH }) {
  // A note goes on a line of its own under its bar, where the whole width is its room: beside the value it was cut.
  const noted = rows.some((row) => row.note);
  const rowHeight = noted ? 44 : 28;
  const height = 24 + rows.length * rowHeight;
  const x0 = Math.round(Math.min(130, width * 0.25));
  const x1 = width - 70;
  const zero = x0 + (x1 - x0) / 2;
  const scale = (x1 - x0) / 2;
  const chart = frame(width, height, title);
  chart.append(svg("line", { x1: zero, x2: zero, y1: 4, y2: height - 4, stroke: "#9aa3ae" }));
  rows.forEach((row, i) => {
    const y = 12 + i * rowHeight;
    const value = row.value == null ? 0 : Math.max(-1, Math.min(1, row.value));
    chart.append(
      text(x0 - 8, y + 14, shorten(row.name, x0 - 8), { "text-anchor": "end" }),
      svg("rect", {
        x: value < 0 ? zero + value * scale : zero,
        y,
        width: Math.max(1, Math.abs(value) * scale),
        height: 18,
        fill: row.color || "#1f5fbf",
        rx: 2,
      }),
      text(x1 + 8, y + 14, fmt(row.value), { "font-weight": "600" }),
    );
    if (row.note) chart.append(text(x0, y + 32, row.note, { fill: "#5b6574", class: "chart-note" }));
  });
  return chart;
}

/** Shares on a 0..1 axis: a bar for each row's estimate and a black line for its 95% interval. */
export function shareChart(rows, { title, width = MAX_WIDTH }) {
  const labelWidth = Math.round(Math.min(150, width * 0.32));
  const rowHeight = 26;
  const height = 34 + rows.length * rowHeight;
  const x0 = labelWidth;
  const x1 = width - 70;
  const x = (v) => x0 + Math.max(0, Math.min(1, v)) * (x1 - x0);
  const chart = frame(width, height, title);
  for (const mark of [0, 0.25, 0.5, 0.75, 1]) {
    chart.append(
      svg("line", { x1: x(mark), x2: x(mark), y1: 16, y2: height - 4, stroke: mark === 0 ? "#9aa3ae" : "#d9dde3" }),
      text(x(mark), 12, `${mark * 100}%`, { "text-anchor": "middle", fill: "#5b6574" }),
    );
  }
  rows.forEach((row, i) => {
    const y = 22 + i * rowHeight;
    chart.append(text(labelWidth - 8, y + 13, shorten(row.name, labelWidth - 8), { "text-anchor": "end" }));
    if (row.value == null) {
      chart.append(text(x0 + 4, y + 13, "no labels", { fill: "#5b6574" }));
      return;
    }
    chart.append(svg("rect", { x: x0, y, width: Math.max(1, x(row.value) - x0), height: 18, fill: row.color || "#1f5fbf", rx: 2 }));
    if (row.ci) {
      const [low, high] = row.ci.map(x);
      chart.append(
        svg("line", { x1: low, x2: high, y1: y + 9, y2: y + 9, stroke: "#1d2430", "stroke-width": 2 }),
        svg("line", { x1: low, x2: low, y1: y + 3, y2: y + 15, stroke: "#1d2430", "stroke-width": 2 }),
        svg("line", { x1: high, x2: high, y1: y + 3, y2: y + 15, stroke: "#1d2430", "stroke-width": 2 }),
      );
    }
    chart.append(text(x1 + 8, y + 13, `${Math.round(row.value * 100)}%`, { "font-weight": "600" }));
  });
  return chart;
}

function cellColour(value, min, max) {
  if (value == null) return "#f3f4f6";
  const t = max > min ? (value - min) / (max - min) : 1;
  const light = [238, 243, 251];
  const dark = [23, 75, 152];
  const mix = light.map((c, i) => Math.round(c + (dark[i] - c) * Math.max(0, Math.min(1, t))));
  return `rgb(${mix.join(",")})`;
}

// Above this many rows a heatmap is drawn dense: small cells without their figures (see `denseHeatmap`).
const WRITTEN_OUT_ROWS = 12;
const SHADES = 10;

/** A square matrix of numbers with row and column names, each cell coloured and written out. */
export function heatmap(names, cell, { title, min = 0, max = 1, digits = 2, rowTitle = "", colTitle = "" }) {
  if (names.length > WRITTEN_OUT_ROWS) return denseHeatmap(names, cell, { title, min, max });
  const size = Math.max(36, Math.min(70, 420 / Math.max(1, names.length)));
  const left = 110;
  const top = 100;
  const width = left + names.length * size + 10;
  const height = top + names.length * size + 10;
  const chart = frame(width, height, title);
  if (colTitle) chart.append(text(left, 14, colTitle, { fill: "#5b6574" }));
  if (rowTitle) chart.append(text(4, top - 8, rowTitle, { fill: "#5b6574" }));
  names.forEach((name, j) => {
    const cx = left + j * size + size / 2;
    chart.append(text(cx, top - 8, name.slice(0, 14), { transform: `rotate(-45 ${cx} ${top - 8})` }));
  });
  names.forEach((rowName, i) => {
    const y = top + i * size;
    chart.append(text(left - 6, y + size / 2 + 4, rowName.slice(0, 14), { "text-anchor": "end" }));
    names.forEach((_, j) => {
      const x = left + j * size;
      const { value, label, note } = cell(i, j);
      const fill = cellColour(value, min, max);
      const dark = value != null && (max > min ? (value - min) / (max - min) : 1) > 0.55;
      chart.append(
        svg(
          "rect",
          { x, y, width: size - 2, height: size - 2, fill, rx: 2 },
          svg("title", {}, `${rowName} × ${names[j]}: ${label ?? fmt(value, digits)}${note ? ` (${note})` : ""}`),
        ),
        text(x + size / 2 - 1, y + size / 2 + 4, label ?? fmt(value, digits), {
          "text-anchor": "middle",
          fill: dark ? "#ffffff" : "#1d2430",
        }),
      );
    });
  });
  return chart;
}

/**
 * A large square matrix as one SVG of a few paths: the cells are grouped into SHADES shades of the
 * colour scale (and one for no value), each shade one path, so 50 reviewers make 2,500 cells but a
 * dozen elements. The figures themselves are left to a table beside the chart.
 */
function denseHeatmap(names, cell, { title, min, max }) {
  const size = 14;
  const left = 110;
  const top = 100;
  const width = left + names.length * size + 10;
  const height = top + names.length * size + 10;
  const chart = frame(width, height, title);
  const shades = new Map();
  names.forEach((name, i) => {
    const cx = left + i * size + size / 2;
    chart.append(
      text(cx, top - 6, name.slice(0, 14), { transform: `rotate(-60 ${cx} ${top - 6})`, "font-size": 10 }),
      text(left - 6, top + i * size + size / 2 + 4, name.slice(0, 14), { "text-anchor": "end", "font-size": 10 }),
    );
    names.forEach((_, j) => {
      const { value } = cell(i, j);
      const t = value == null ? null : max > min ? Math.max(0, Math.min(1, (value - min) / (max - min))) : 1;
      const shade = t == null ? -1 : Math.round(t * SHADES);
      const d = `M${left + j * size} ${top + i * size}h${size - 1}v${size - 1}h${1 - size}z`;
      shades.set(shade, (shades.get(shade) || "") + d);
    });
  });
  for (const [shade, d] of shades) {
    chart.append(svg("path", { d, fill: shade < 0 ? cellColour(null) : cellColour(min + (shade / SHADES) * (max - min), min, max) }));
  }
  return chart;
}
