// ISA-L's streaming gzip inflater (igzip), loaded at run time.
//
// This header never includes <isa-l/igzip_lib.h>: the inflate state is
// opaque here, so Swift imports this module the same way whether or not
// ISA-L was installed when the package was built. CISAL.c compiles real
// support when the ISA-L header is present (Debian: libisal-dev) and a stub
// otherwise; real support calls libisal.so.2 through function pointers from
// dlopen/dlsym, so nothing extra is linked and the binary still runs on a
// machine without the library (cisal_status() then says why).
#ifndef TRAILSCAN_CISAL_H
#define TRAILSCAN_CISAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Whether ISA-L can be used in this process (see cisal_status).
typedef enum {
    /// Compiled in and libisal.so.2 loaded with every symbol we call.
    CISAL_STATUS_AVAILABLE = 0,
    /// Built without <isa-l/igzip_lib.h> (or with -DTRAILSCAN_NO_ISAL).
    CISAL_STATUS_NOT_BUILT = 1,
    /// Compiled in, but the shared library or one of its symbols is missing.
    CISAL_STATUS_NOT_LOADABLE = 2,
} cisal_status_t;

/// isal_inflate's return codes, under names that exist without ISA-L's
/// header. CISAL.c checks them against the ISAL_* constants at compile time.
enum {
    CISAL_OK = 0,
    CISAL_INVALID_BLOCK = -1,
    CISAL_INVALID_SYMBOL = -2,
    CISAL_INVALID_LOOKBACK = -3,
    CISAL_INVALID_WRAPPER = -4,
    CISAL_UNSUPPORTED_METHOD = -5,
    CISAL_INCORRECT_CHECKSUM = -6,
    CISAL_NEED_DICT = 6,
    /// Not an ISA-L code: the stub's answer to every call.
    CISAL_NOT_AVAILABLE = -100,
};

/// Loads ISA-L on first use (thread-safe; later calls are a load of a
/// cached value) and says whether it can be used.
cisal_status_t cisal_status(void);

/// A one-line explanation when cisal_status() is not AVAILABLE (the
/// dlopen/dlsym error); an empty string otherwise. Static storage.
const char *cisal_status_detail(void);

/// The library name dlopen is asked for: $TRAILSCAN_ISAL_LIBRARY when set
/// and not empty, else "libisal.so.2". Static storage.
const char *cisal_library_name(void);

/// The ISA-L release whose header this build was compiled against, as
/// "MAJOR.MINOR" (e.g. "2.30", from <isa-l.h>); "" when built without it.
/// Static storage.
const char *cisal_version(void);

/// One reusable gzip inflater: ISA-L's inflate_state (about 85 KiB) in its
/// own heap allocation, whose address never changes.
typedef struct cisal_inflater cisal_inflater;

/// A new inflater, or NULL when ISA-L is not available or memory is short.
cisal_inflater *cisal_inflater_create(void);

/// Frees the inflater; NULL is ignored.
void cisal_inflater_destroy(cisal_inflater *inflater);

/// Prepares for a new gzip member: the gzip header is parsed and the CRC-32
/// and ISIZE of the trailer checked by ISA-L (crc_flag = ISAL_GZIP).
void cisal_inflater_start_member(cisal_inflater *inflater);

/// One call of isal_inflate. Feeds at most 1 GiB of input and of output
/// (ISA-L counts in uint32_t).
///
/// @param consumed      set to the input bytes ISA-L took.
/// @param written       set to the output bytes ISA-L wrote.
/// @param member_ended  set to 1 when the member's trailer has been read
///                      (block_state == ISAL_BLOCK_FINISH): ISA-L then
///                      consumed exactly the member, nothing after it.
/// @returns a CISAL_* code (isal_inflate's, or CISAL_NOT_AVAILABLE).
int cisal_inflate(cisal_inflater *inflater, const void *input, size_t input_count, void *output,
                  size_t output_count, size_t *consumed, size_t *written, int *member_ended);

/// CRC-32 of the current member's output so far (final once it ended).
uint32_t cisal_inflater_crc(const cisal_inflater *inflater);

/// The current member's output bytes so far, modulo 2^32 (what ISIZE holds).
uint32_t cisal_inflater_total_out(const cisal_inflater *inflater);

#ifdef __cplusplus
}
#endif

#endif
