"""The read side: one read use case per module, each a plain function of a connection to the read models, a
`Reader` (the one door to sealed text) and dates, returning plain data. Web, API, CLI and documents call the same
query for the same answer; no query imports Flask or the application's commands."""
