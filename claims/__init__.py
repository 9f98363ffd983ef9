"""What is computed from reviewers' labels, and what leaves Lede.

Computed: agreement reports (`agreement` for the statistics, `reports` to read the labels, run
and store them, kept fresh by `receivers` and `tasks`). Leaving: exports and the whole-project
archive (`exports`); a finished study's labels arrive through `annotator.services.studies`, which
reads, checks and writes the file. `claims` reads `annotator`'s data; `annotator` never imports
`claims`.
"""
