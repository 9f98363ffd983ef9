// Which format a pasted article is written in, by the rules of annotator/text/formats.py (the server decides
// when the format is left to it); tests/annotator/text_format_cases.json holds the cases both must agree on.

const HTML_TAG = new RegExp(
  "<!doctype html|</?(?:p|div|br|hr|h[1-6]|ul|ol|li|a|em|strong|b|i|u|blockquote|article|section|header" +
    "|footer|main|span|html|body|head|title|table|tr|td|th|figure|figcaption|time|meta)\\b[^<>]*>",
  "i",
);
const MARKDOWN_SIGNS = [/^#{1,6}[ \t]+\S/m, /^>[ \t]?\S/m, /\[[^\]\n]+\]\([^)\s]+\)/, /\*\*[^*\n]+\*\*|__[^_\n]+__/];
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d+\.)[ \t]+\S/gm;

/** "html", "markdown" or "text". */
export function detectFormat(text) {
  if (HTML_TAG.test(text)) return "html";
  if (MARKDOWN_SIGNS.some((sign) => sign.test(text)) || (text.match(LIST_ITEM) || []).length >= 2) return "markdown";
  return "text";
}
