// SIMD helpers for TrailScanCore's JSON scanner that Swift cannot express
// itself: Swift's SIMD types have no movemask, and reading lane masks back
// as words costs more instructions and latency. The per-string helpers are
// header-only `static inline` functions, inlined into the Swift callers
// (SSE2 where the compiler targets it, a portable byte loop otherwise); the
// structural skipper `cjk_skip` is in CJSONKernel.c, one copy per
// instruction set chosen at run time. Pure C, no libc calls.
#ifndef TRAILSCAN_CJSONKERNEL_H
#define TRAILSCAN_CJSONKERNEL_H

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// Two bitmasks of the 32 bytes at `p` (bit k for `p[k]`): the low half
/// marks `"`, the high half the bytes a string's fast path must look at,
/// `\` and bytes below 0x20 (the zero padding included) or above 0x7F.
/// The quotes alone decide where a plain string ends, so the latency from
/// one token to the next is a compare, a movemask and a count of trailing
/// zeros; the other mask is tested beside it. `p[0...31]` must be readable.
static inline uint64_t cjk_string_masks32(const uint8_t *p) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    uint32_t quotes = (uint32_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, quote)) |
                      ((uint32_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, quote)) << 16);
    // Signed: bytes >= 0x80 are negative, so one compare finds both control
    // characters and non-ASCII bytes.
    __m128i sa = _mm_or_si128(_mm_cmpeq_epi8(a, backslash), _mm_cmplt_epi8(a, space));
    __m128i sb = _mm_or_si128(_mm_cmpeq_epi8(b, backslash), _mm_cmplt_epi8(b, space));
    uint32_t special = (uint32_t)(uint16_t)_mm_movemask_epi8(sa) |
                       ((uint32_t)(uint16_t)_mm_movemask_epi8(sb) << 16);
    return (uint64_t)quotes | ((uint64_t)special << 32);
#else
    uint64_t m = 0;
    for (int k = 0; k < 32; k++) {
        uint8_t c = p[k];
        if (c == '"') m |= (uint64_t)1 << k;
        if (c == '\\' || c < 0x20 || c >= 0x80) m |= (uint64_t)1 << (32 + k);
    }
    return m;
#endif
}

/// A bitmask of the 32 bytes at `p` marking `"`, `\\` and zero bytes: the
/// only bytes a structurally skipped string must stop at (a zero may be the
/// padding at the end of the data). `p[0...31]` must be readable.
static inline uint32_t cjk_skim_mask32(const uint8_t *p) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i zero = _mm_setzero_si128();
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    __m128i sa = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(a, backslash)), _mm_cmpeq_epi8(a, zero));
    __m128i sb = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, quote), _mm_cmpeq_epi8(b, backslash)), _mm_cmpeq_epi8(b, zero));
    return (uint32_t)(uint16_t)_mm_movemask_epi8(sa) | ((uint32_t)(uint16_t)_mm_movemask_epi8(sb) << 16);
#else
    uint32_t m = 0;
    for (int k = 0; k < 32; k++) {
        uint8_t c = p[k];
        if (c == '"' || c == '\\' || c == 0) m |= (uint32_t)1 << k;
    }
    return m;
#endif
}

// MARK: - The structural skipper

/// `cjk_skip` results.
enum {
    /// `*end` is the index just past the bracket that closes the container.
    CJK_SKIP_END = 0,
    /// The data ended first (`*end == count`): the container goes on in data
    /// not read yet, or the document is cut.
    CJK_SKIP_NEED_MORE = 1,
    /// `*end` is a closing bracket that does not match the open one.
    CJK_SKIP_MISMATCH = 2,
    /// Watching: `*end` is the opening quote of a member name
    /// `"eventSource"` (followed by `:`) at depth 1.
    CJK_SKIP_NAME = 3,
    /// Watching: `*end` is a backslash inside a string at depth 1 (possibly
    /// an escaped member name; the caller walks the members instead).
    CJK_SKIP_ESCAPE = 4,
    /// Nesting deeper than `spill` can hold: call again with a larger one.
    CJK_SKIP_DEEP = 5,
};

/// Instruction sets of `cjk_skip_with`.
enum { CJK_ISA_PORTABLE = 0, CJK_ISA_SSE2 = 1, CJK_ISA_AVX2 = 2, CJK_ISA_AVX512 = 3 };

/// Finds the end of a JSON container by its quotes, backslashes and brackets
/// alone, 64 bytes per step, without walking its tokens: strings are told
/// apart by their quotes (escapes honoured), brackets outside strings must
/// nest and match (`{` with `}`, `[` with `]`). Nothing else is checked:
/// not the tokens between the brackets, not the bytes inside strings.
///
/// - `base[0 ..< count + 64]` must be readable (the scanner's padding).
/// - `start`: with `initial_depth` 0, the opening bracket of the container;
///   with 1, a position just inside an object (outside any string), whose
///   closing `}` is sought.
/// - `watch`: also stop at a member name `"eventSource"` or a backslash in
///   a string, at depth 1 (the record scanner's check for a second
///   `eventSource`; see RecordSkimming.swift).
/// - `spill`: room for `spill_capacity` words of nesting beyond 64 levels.
/// - Returns one of `CJK_SKIP_*`, with the position in `*end`.
int cjk_skip(const uint8_t *base, size_t start, size_t count, int initial_depth, int watch, uint64_t *spill,
             size_t spill_capacity, size_t *end);

/// `cjk_skip` with a given instruction set (tests and benchmarks; the caller
/// checks `cjk_skip_isa_supported` first).
int cjk_skip_with(int isa, const uint8_t *base, size_t start, size_t count, int initial_depth, int watch,
                  uint64_t *spill, size_t spill_capacity, size_t *end);

/// A hint to fetch the cache line at `p` for reading soon (no effect on
/// the program's meaning; `p` need not be valid). The report writers call
/// it a few rows ahead, whose values lie scattered in the value pool.
static inline void cjk_prefetch(const void *p) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p, 0, 3);
#else
    (void)p;
#endif
}

/// The instruction set `cjk_skip` uses on this machine (the best supported).
int cjk_skip_isa(void);

/// 1 when this machine (and build) can run `isa`.
int cjk_skip_isa_supported(int isa);

#ifdef __cplusplus
}
#endif

#endif
