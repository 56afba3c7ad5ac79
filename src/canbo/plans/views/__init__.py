"""Pages of the plans app, one module per resource: ``plans`` (list, page, header, per-unit
dashboard), ``text`` (reading a document: the extraction review), ``tasks`` (a task's page and one
view per action on it), ``reports`` (reporting periods, reports, exports).

Every read goes through ``selectors`` (grants); every write is one ``ServiceFormView``
(core.form_views) calling one service. A record the user may not see answers 404 as a missing one.
"""
