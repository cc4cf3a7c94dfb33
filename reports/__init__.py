"""What the state sees: documents made from the read models' figures (docs/reports.md).

Every figure a document shows comes from the dashboards' own query
(`projections.queries.ReadQueries.dashboard`) for the document's scope and window, so a
document never disagrees with a dashboard; the documents only choose, rank and draw.
"""
