// An article's metadata as its forms hold it: the import forms on the manage page and the edit dialog on the
// project page share the fields (frontend/_article_metadata.html).

export const METADATA_FIELDS = ["title", "outlet", "url", "author", "published", "topics"];

/** Topic tags as typed: comma-separated, blanks dropped. */
const topicsOf = (value) => value.split(",").map((topic) => topic.trim()).filter(Boolean);

/** The metadata fields `form` has, trimmed; empty ones left out (`omitEmpty`) or sent as blank (a date as null). */
export function articleMetadata(form, { omitEmpty = false } = {}) {
  const metadata = {};
  for (const name of METADATA_FIELDS) {
    const input = form.elements[name];
    if (!input) continue;
    const value = input.value.trim();
    if (name === "topics") {
      if (value || !omitEmpty) metadata.topics = topicsOf(value);
    } else if (value || !omitEmpty) metadata[name] = value || (name === "published" ? null : "");
  }
  return metadata;
}

/** Put an article's metadata into `form`'s fields. */
export function fillMetadata(form, article) {
  for (const name of METADATA_FIELDS) form.elements[name].value = name === "topics" ? (article.topics || []).join(", ") : article[name] || "";
}
