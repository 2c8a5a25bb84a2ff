"""Documents made from queries' answers, without Flask: CSV, JSON, the report's HTML body and its PDF, each in
the reader's language, and the cache of rendered reports."""
