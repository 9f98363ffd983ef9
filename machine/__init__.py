"""Models in the loop: Lede's own classifier per project, its suggestions to reviewers as a randomized
treatment, the log of what each reviewer was shown, machine coders' labels, and the effect measured.

`classifier` (the model and its card) and `assistance` (the effect) import no Django. `machine`
reads `annotator`'s and `curation`'s data; neither imports it.
"""
