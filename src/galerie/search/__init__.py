"""Search: one interface, a SQLite FTS5 and a PostgreSQL full-text backend."""
