// SQLite (GRDB) store.
