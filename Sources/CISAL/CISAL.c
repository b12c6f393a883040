// ISA-L inflate through dlopen, or a stub when ISA-L's header is absent.
// See include/CISAL.h for the contract.

#include "CISAL.h"

#if !defined(TRAILSCAN_NO_ISAL) && defined(__has_include)
#if __has_include(<isa-l/igzip_lib.h>)
#define CISAL_BUILT 1
#endif
#endif

#ifdef CISAL_BUILT

#include <dlfcn.h>
#include <isa-l/igzip_lib.h>
#if __has_include(<isa-l.h>)
#include <isa-l.h>  // ISAL_MAJOR_VERSION, ISAL_MINOR_VERSION (ISA-L 2.19 and later)
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Our names for the return codes must be ISA-L's.
_Static_assert(CISAL_OK == ISAL_DECOMP_OK, "ISAL_DECOMP_OK");
_Static_assert(CISAL_INVALID_BLOCK == ISAL_INVALID_BLOCK, "ISAL_INVALID_BLOCK");
_Static_assert(CISAL_INVALID_SYMBOL == ISAL_INVALID_SYMBOL, "ISAL_INVALID_SYMBOL");
_Static_assert(CISAL_INVALID_LOOKBACK == ISAL_INVALID_LOOKBACK, "ISAL_INVALID_LOOKBACK");
_Static_assert(CISAL_INVALID_WRAPPER == ISAL_INVALID_WRAPPER, "ISAL_INVALID_WRAPPER");
_Static_assert(CISAL_UNSUPPORTED_METHOD == ISAL_UNSUPPORTED_METHOD, "ISAL_UNSUPPORTED_METHOD");
_Static_assert(CISAL_INCORRECT_CHECKSUM == ISAL_INCORRECT_CHECKSUM, "ISAL_INCORRECT_CHECKSUM");
_Static_assert(CISAL_NEED_DICT == ISAL_NEED_DICT, "ISAL_NEED_DICT");

// The inflate_state layout comes from the header we compiled against; the
// SONAME (libisal.so.2) is ISA-L's promise that the layout does not change.
static const char *const default_library = "libisal.so.2";

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static cisal_status_t load_status = CISAL_STATUS_NOT_LOADABLE;
static char load_detail[512];
static const char *library_name = "libisal.so.2";
static void (*p_isal_inflate_init)(struct inflate_state *);
static int (*p_isal_inflate)(struct inflate_state *);
static void (*p_isal_gzip_header_init)(struct isal_gzip_header *);
static int (*p_isal_read_gzip_header)(struct inflate_state *, struct isal_gzip_header *);

static void load(void) {
    const char *name = getenv("TRAILSCAN_ISAL_LIBRARY");
    library_name = (name != NULL && name[0] != '\0') ? name : default_library;
    // The handle is never closed: the functions stay in use until exit.
    void *handle = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *error = dlerror();
        snprintf(load_detail, sizeof load_detail, "%s", error != NULL ? error : library_name);
        return;
    }
    p_isal_inflate_init = (void (*)(struct inflate_state *))dlsym(handle, "isal_inflate_init");
    p_isal_inflate = (int (*)(struct inflate_state *))dlsym(handle, "isal_inflate");
    p_isal_gzip_header_init = (void (*)(struct isal_gzip_header *))dlsym(handle, "isal_gzip_header_init");
    p_isal_read_gzip_header =
        (int (*)(struct inflate_state *, struct isal_gzip_header *))dlsym(handle, "isal_read_gzip_header");
    if (p_isal_inflate_init == NULL || p_isal_inflate == NULL || p_isal_gzip_header_init == NULL ||
        p_isal_read_gzip_header == NULL) {
        snprintf(load_detail, sizeof load_detail,
                 "%s lacks isal_inflate_init, isal_inflate, isal_gzip_header_init or isal_read_gzip_header",
                 library_name);
        return;  // load_status stays NOT_LOADABLE: the pointers are never called
    }
    load_status = CISAL_STATUS_AVAILABLE;
}

cisal_status_t cisal_status(void) {
    pthread_once(&load_once, load);
    return load_status;
}

const char *cisal_status_detail(void) {
    pthread_once(&load_once, load);
    return load_detail;
}

const char *cisal_library_name(void) {
    pthread_once(&load_once, load);
    return library_name;
}

#define CISAL_STRINGIFY_(x) #x
#define CISAL_STRINGIFY(x) CISAL_STRINGIFY_(x)

const char *cisal_version(void) {
#if defined(ISAL_MAJOR_VERSION) && defined(ISAL_MINOR_VERSION)
    return CISAL_STRINGIFY(ISAL_MAJOR_VERSION) "." CISAL_STRINGIFY(ISAL_MINOR_VERSION);
#else
    return "";
#endif
}

struct cisal_inflater {
    struct inflate_state state;
    // The gzip header being parsed, kept across calls (see cisal_inflate).
    struct isal_gzip_header header;
};

cisal_inflater *cisal_inflater_create(void) {
    if (cisal_status() != CISAL_STATUS_AVAILABLE) return NULL;
    void *memory = NULL;
    // 64-byte alignment: the state holds tables the SIMD decoder reads.
    if (posix_memalign(&memory, 64, sizeof(cisal_inflater)) != 0) return NULL;
    cisal_inflater *inflater = memory;
    cisal_inflater_start_member(inflater);
    return inflater;
}

void cisal_inflater_destroy(cisal_inflater *inflater) { free(inflater); }

void cisal_inflater_start_member(cisal_inflater *inflater) {
    // isal_inflate_init sets the fields of a fresh stream one by one (it
    // does not clear the 85 KiB of tables), so it is cheap per member.
    p_isal_inflate_init(&inflater->state);
    inflater->state.crc_flag = ISAL_GZIP;  // gzip header and trailer; check CRC-32 and ISIZE
    p_isal_gzip_header_init(&inflater->header);  // no buffers: names, comments, extra are skipped
}

int cisal_inflate(cisal_inflater *inflater, const void *input, size_t input_count, void *output,
                  size_t output_count, size_t *consumed, size_t *written, int *member_ended) {
    struct inflate_state *state = &inflater->state;
    // ISA-L counts in uint32_t: at most 1 GiB each way per call.
    const uint32_t in_count = input_count > (1u << 30) ? (1u << 30) : (uint32_t)input_count;
    const uint32_t out_count = output_count > (1u << 30) ? (1u << 30) : (uint32_t)output_count;
    state->next_in = (uint8_t *)input;  // ISA-L only reads through next_in
    state->avail_in = in_count;
    state->next_out = output;
    state->avail_out = out_count;
    int code;
    if (!state->wrapper_flag) {
        // isal_inflate would parse the header itself, but into a fresh
        // isal_gzip_header on every call: a header that arrives over several
        // calls then loses its flags and header CRC, and its optional fields
        // (FEXTRA, FNAME, FCOMMENT, FHCRC) are misread as deflate data
        // (ISA-L 2.30). Parsing it here with a header record that persists
        // avoids that; isal_inflate skips a header once wrapper_flag is set.
        code = p_isal_read_gzip_header(state, &inflater->header);
        if (code == ISAL_DECOMP_OK && state->wrapper_flag) {
            code = p_isal_inflate(state);
        } else if (code > 0) {
            code = ISAL_DECOMP_OK;  // ISAL_END_INPUT: the header goes on in the next input
        }
    } else {
        code = p_isal_inflate(state);
    }
    *consumed = in_count - state->avail_in;
    *written = out_count - state->avail_out;
    *member_ended = state->block_state == ISAL_BLOCK_FINISH;
    state->next_in = NULL;
    state->next_out = NULL;
    return code;
}

uint32_t cisal_inflater_crc(const cisal_inflater *inflater) { return inflater->state.crc; }

uint32_t cisal_inflater_total_out(const cisal_inflater *inflater) { return inflater->state.total_out; }

#else  // !CISAL_BUILT: the stub. Every entry point says "not available".

cisal_status_t cisal_status(void) { return CISAL_STATUS_NOT_BUILT; }

const char *cisal_status_detail(void) { return "built without ISA-L (<isa-l/igzip_lib.h> was not found)"; }

const char *cisal_library_name(void) { return "libisal.so.2"; }

const char *cisal_version(void) { return ""; }

cisal_inflater *cisal_inflater_create(void) { return NULL; }

void cisal_inflater_destroy(cisal_inflater *inflater) { (void)inflater; }

void cisal_inflater_start_member(cisal_inflater *inflater) { (void)inflater; }

int cisal_inflate(cisal_inflater *inflater, const void *input, size_t input_count, void *output,
                  size_t output_count, size_t *consumed, size_t *written, int *member_ended) {
    (void)inflater, (void)input, (void)input_count, (void)output, (void)output_count;
    *consumed = 0;
    *written = 0;
    *member_ended = 0;
    return CISAL_NOT_AVAILABLE;
}

uint32_t cisal_inflater_crc(const cisal_inflater *inflater) { (void)inflater; return 0; }

uint32_t cisal_inflater_total_out(const cisal_inflater *inflater) { (void)inflater; return 0; }

#endif
