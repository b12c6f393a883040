// The system SQLite (Debian: libsqlite3-dev), for the --db state store.
#ifndef TRAILSCAN_CSQLITE_SHIM_H
#define TRAILSCAN_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
