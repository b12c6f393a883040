// See include/CSQLite.h: SQLite's C API reached through dlopen/dlsym.
#include "CSQLite.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct {
    int (*open_v2)(const char *, sqlite3 **, int, const char *);
    int (*close)(sqlite3 *);
    const char *(*errmsg)(sqlite3 *);
    int (*busy_timeout)(sqlite3 *, int);
    int (*exec)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *, char **);
    void (*free)(void *);
    int (*prepare_v2)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
    int (*finalize)(sqlite3_stmt *);
    int (*bind_text)(sqlite3_stmt *, int, const char *, int, void (*)(void *));
    int (*bind_int64)(sqlite3_stmt *, int, int64_t);
    int (*step)(sqlite3_stmt *);
    const unsigned char *(*column_text)(sqlite3_stmt *, int);
    int64_t (*column_int64)(sqlite3_stmt *, int);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256];
static int loaded = 0;

#define LOOKUP(field, name)                                                              \
    do {                                                                                 \
        *(void **)(&api.field) = dlsym(library, name);                                   \
        if (!api.field) {                                                                \
            snprintf(load_error, sizeof load_error, "%s has no %s", path, name);         \
            return;                                                                      \
        }                                                                                \
    } while (0)

static void load_once(void) {
    const char *path = "libsqlite3.so.0";
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(load_error, sizeof load_error, "%s", dlerror());
        return;
    }
    LOOKUP(open_v2, "sqlite3_open_v2");
    LOOKUP(close, "sqlite3_close");
    LOOKUP(errmsg, "sqlite3_errmsg");
    LOOKUP(busy_timeout, "sqlite3_busy_timeout");
    LOOKUP(exec, "sqlite3_exec");
    LOOKUP(free, "sqlite3_free");
    LOOKUP(prepare_v2, "sqlite3_prepare_v2");
    LOOKUP(finalize, "sqlite3_finalize");
    LOOKUP(bind_text, "sqlite3_bind_text");
    LOOKUP(bind_int64, "sqlite3_bind_int64");
    LOOKUP(step, "sqlite3_step");
    LOOKUP(column_text, "sqlite3_column_text");
    LOOKUP(column_int64, "sqlite3_column_int64");
    loaded = 1;
}

int csqlite_load(char *error, size_t error_size) {
    pthread_once(&once, load_once);
    if (loaded) return 0;
    snprintf(error, error_size, "%s", load_error);
    return -1;
}

int csqlite_open_v2(const char *filename, sqlite3 **db, int flags) { return api.open_v2(filename, db, flags, NULL); }
int csqlite_close(sqlite3 *db) { return api.close(db); }
const char *csqlite_errmsg(sqlite3 *db) { return api.errmsg(db); }
int csqlite_busy_timeout(sqlite3 *db, int ms) { return api.busy_timeout(db, ms); }
int csqlite_exec(sqlite3 *db, const char *sql, char **errmsg) { return api.exec(db, sql, NULL, NULL, errmsg); }
void csqlite_free(void *p) { api.free(p); }
int csqlite_prepare_v2(sqlite3 *db, const char *sql, sqlite3_stmt **stmt) {
    return api.prepare_v2(db, sql, -1, stmt, NULL);
}
int csqlite_finalize(sqlite3_stmt *stmt) { return api.finalize(stmt); }
int csqlite_bind_text(sqlite3_stmt *stmt, int index, const char *text) {
    return api.bind_text(stmt, index, text, -1, (void (*)(void *))-1);  // SQLITE_TRANSIENT
}
int csqlite_bind_int64(sqlite3_stmt *stmt, int index, int64_t value) { return api.bind_int64(stmt, index, value); }
int csqlite_step(sqlite3_stmt *stmt) { return api.step(stmt); }
const unsigned char *csqlite_column_text(sqlite3_stmt *stmt, int column) { return api.column_text(stmt, column); }
int64_t csqlite_column_int64(sqlite3_stmt *stmt, int column) { return api.column_int64(stmt, column); }
