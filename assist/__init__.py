"""The assistant (issue 16): a complaint's department, category and urgency suggested from
the citizen's own words, learned from the seed corpus in `data/assist/` and the event
history; the models versioned in PostgreSQL (`docs/assist.md`)."""
