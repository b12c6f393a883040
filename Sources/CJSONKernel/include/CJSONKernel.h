// SIMD helpers for TrailScanCore's JSON scanner that Swift cannot express
// itself: Swift's SIMD types have no movemask, and reading lane masks back
// as words costs more instructions and latency. Header-only `static inline`
// functions, so they are inlined into the Swift callers. Pure C, no libc
// calls: SSE2 where the compiler targets it, a portable byte loop
// otherwise.
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

#ifdef __cplusplus
}
#endif

#endif
