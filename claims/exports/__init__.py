"""What leaves Lede for researchers: export files streamed on request, and the whole-project archive.

`rows` reads the labels as named rows (`gold` the curators' decisions), `columns` names and
describes every column, `label_writers` streams each file of labels and decisions (`webannotation`
shapes the JSON-LD one) and `report_writers` each file of reports, both through `streams`;
`formats` lists them by file name, and `archive` zips them all with a README and a
datapackage.json, built by a worker.
"""

from .formats import FORMATS, ExportFormat
from .rows import ExportFilters, filters_from_query

__all__ = ["FORMATS", "ExportFilters", "ExportFormat", "filters_from_query"]
