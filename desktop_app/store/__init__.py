"""Local SQLite store (sqlite-utils): schema, migrations, audit chain. No Qt (issue 3)."""
