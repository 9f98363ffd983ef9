"""What is computed from reviewers' labels, and what leaves Lede.

Computed: agreement reports (`agreement` for the statistics, `reports` to read the labels, run
and store them, kept fresh by `receivers` and `tasks`). Leaving: exports and the whole-project
archive (`exports`). Arriving from a finished study: its labels (`imports` reads and checks the
file; `annotator.services` writes it). `claims` reads `annotator`'s data; `annotator` never
imports `claims`.
"""
