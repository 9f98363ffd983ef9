"""Article text to title, byline, date, paragraphs and sentences, on plain data: nothing here imports Django.

`segmentation` assembles the pipeline. `formats` tells a pasted text's format; `readers` reduce
text, Markdown or HTML to `blocks` (`webpages` first finds a whole page's article, `webfetch`
fetches a page by URL from public servers only); `header` takes the title, byline and date off
the top (`dates` reads dates); `paragraphs` re-joins paragraphs broken mid-sentence; `boundaries`
finds the sentences of a paragraph and `boilerplate` the lines that are not body text; `limits`
bounds what one article may cost. Settings (limits, the loopback-only fetch of tests) are passed
in by the services that call these modules.
"""
