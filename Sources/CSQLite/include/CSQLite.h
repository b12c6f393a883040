// SQLite for the --db store, loaded at run time.
//
// The default build of trailscan needs only zlib1g-dev, so SQLite is not
// linked: csqlite_load() opens the system's libsqlite3.so.0 with dlopen and
// looks up the few functions the store uses. Their prototypes are SQLite's
// stable C API, declared here so no sqlite3.h is needed to build.
#ifndef TRAILSCAN_CSQLITE_H
#define TRAILSCAN_CSQLITE_H

#include <stddef.h>
#include <stdint.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

enum {
    CSQLITE_OK = 0,
    CSQLITE_ROW = 100,
    CSQLITE_DONE = 101,
    CSQLITE_OPEN_READWRITE = 0x00000002,
    CSQLITE_OPEN_CREATE = 0x00000004,
    CSQLITE_OPEN_FULLMUTEX = 0x00010000,
};

/// Loads libsqlite3 once; 0 on success, else -1 with a message in `error`.
int csqlite_load(char *error, size_t error_size);

int csqlite_open_v2(const char *filename, sqlite3 **db, int flags);
int csqlite_close(sqlite3 *db);
const char *csqlite_errmsg(sqlite3 *db);
int csqlite_busy_timeout(sqlite3 *db, int ms);
int csqlite_exec(sqlite3 *db, const char *sql, char **errmsg);
void csqlite_free(void *p);
int csqlite_prepare_v2(sqlite3 *db, const char *sql, sqlite3_stmt **stmt);
int csqlite_finalize(sqlite3_stmt *stmt);
/// Binds a copy of `text` (SQLITE_TRANSIENT).
int csqlite_bind_text(sqlite3_stmt *stmt, int index, const char *text);
int csqlite_bind_int64(sqlite3_stmt *stmt, int index, int64_t value);
int csqlite_step(sqlite3_stmt *stmt);
const unsigned char *csqlite_column_text(sqlite3_stmt *stmt, int column);
int64_t csqlite_column_int64(sqlite3_stmt *stmt, int column);

#endif
