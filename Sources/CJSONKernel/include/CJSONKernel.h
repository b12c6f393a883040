// A block-at-a-time JSON container skipper for TrailScanCore (simdjson's
// stage 1 idea, applied to one value): 64 bytes per step, bitmasks of quotes,
// backslashes, structural characters and the bytes that need a closer look,
// an in-string mask by prefix XOR, then a grammar walk over the structural
// positions only, so string bodies cost nothing per byte.
//
// It is a fast path that either proves or gives up: it returns the end of
// the container only when everything in it is valid RFC 8259 JSON, and
// gives up (-1) on anything it does not prove valid itself: an error, the
// end of the data, non-ASCII bytes (UTF-8 is left to the exact walker),
// nesting deeper than 64. The caller then walks the same bytes again with
// its exact walker, which finds the error and its offset, or accepts.
// Pure C: no allocation, no libc calls. SSE2 where the compiler targets
// it, a portable byte loop otherwise.
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

/// Skips the object or array whose opening `{` or `[` is at `base[start]`.
///
/// `base[count]` and the 63 bytes after it must be readable zero bytes
/// (TrailScanCore's PaddedBuffer), and `start < count`.
///
/// Returns the offset just past the closing bracket when the whole value
/// is valid JSON, else -1 (invalid, cut by the end of the data, or not
/// handled here: the caller must decide with its exact walker).
ptrdiff_t cjk_skip_container(const uint8_t *base, ptrdiff_t start, ptrdiff_t count);

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
