// The structural skipper of `--validate used` (see CJSONKernel.h): finds
// where a JSON container ends by looking only at quotes, backslashes and
// brackets, 64 bytes per block, without walking its tokens. One copy of the
// loop per instruction set (AVX-512BW, AVX2, SSE2 on x86-64; a portable
// byte loop elsewhere, NEON machines included), chosen once at run time.
// Pure C: no libc calls (the CPU test is a compiler built-in).
#include "CJSONKernel.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CJK_X86 1
#include <immintrin.h>
#endif

/// The raw masks of one 64-byte block (bit k for byte k): quotes,
/// backslashes, brackets (`{ } [ ]`, found as `(c | 0x20)` equal to `{` or
/// `}`) and the letter `S` (for the `"eventSource"` watch).
typedef struct {
    uint64_t quote, backslash, bracket, letter;
} cjk_block;

static inline __attribute__((always_inline)) cjk_block cjk_block_portable(const uint8_t *p) {
    cjk_block m = {0, 0, 0, 0};
    for (int k = 0; k < 64; k++) {
        uint8_t c = p[k];
        uint64_t bit = (uint64_t)1 << k;
        if (c == '"') m.quote |= bit;
        if (c == '\\') m.backslash |= bit;
        if ((c | 0x20) == '{' || (c | 0x20) == '}') m.bracket |= bit;
        if (c == 'S') m.letter |= bit;
    }
    return m;
}

#if CJK_X86
__attribute__((target("sse2"), always_inline)) static inline uint64_t cjk_eq16(__m128i a, __m128i b, __m128i c, __m128i d, char x) {
    const __m128i v = _mm_set1_epi8(x);
    return (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, v)) |
           ((uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, v)) << 16) |
           ((uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c, v)) << 32) |
           ((uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(d, v)) << 48);
}

__attribute__((target("sse2"), always_inline)) static inline cjk_block cjk_block_sse2(const uint8_t *p) {
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
    __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
    const __m128i low = _mm_set1_epi8(0x20);
    __m128i la = _mm_or_si128(a, low), lb = _mm_or_si128(b, low), lc = _mm_or_si128(c, low), ld = _mm_or_si128(d, low);
    cjk_block m;
    m.quote = cjk_eq16(a, b, c, d, '"');
    m.backslash = cjk_eq16(a, b, c, d, '\\');
    m.bracket = cjk_eq16(la, lb, lc, ld, '{') | cjk_eq16(la, lb, lc, ld, '}');
    m.letter = cjk_eq16(a, b, c, d, 'S');
    return m;
}

__attribute__((target("avx2"), always_inline)) static inline uint64_t cjk_eq32(__m256i a, __m256i b, char x) {
    const __m256i v = _mm256_set1_epi8(x);
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, v)) |
           ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, v)) << 32);
}

__attribute__((target("avx2"), always_inline)) static inline cjk_block cjk_block_avx2(const uint8_t *p) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    const __m256i low = _mm256_set1_epi8(0x20);
    __m256i la = _mm256_or_si256(a, low), lb = _mm256_or_si256(b, low);
    cjk_block m;
    m.quote = cjk_eq32(a, b, '"');
    m.backslash = cjk_eq32(a, b, '\\');
    m.bracket = cjk_eq32(la, lb, '{') | cjk_eq32(la, lb, '}');
    m.letter = cjk_eq32(a, b, 'S');
    return m;
}

__attribute__((target("avx512f,avx512bw"), always_inline)) static inline cjk_block cjk_block_avx512(const uint8_t *p) {
    __m512i a = _mm512_loadu_si512((const void *)p);
    __m512i la = _mm512_or_si512(a, _mm512_set1_epi8(0x20));
    cjk_block m;
    m.quote = _mm512_cmpeq_epi8_mask(a, _mm512_set1_epi8('"'));
    m.backslash = _mm512_cmpeq_epi8_mask(a, _mm512_set1_epi8('\\'));
    m.bracket = _mm512_cmpeq_epi8_mask(la, _mm512_set1_epi8('{')) | _mm512_cmpeq_epi8_mask(la, _mm512_set1_epi8('}'));
    m.letter = _mm512_cmpeq_epi8_mask(a, _mm512_set1_epi8('S'));
    return m;
}
#endif

/// Bit k set when an odd number of `quotes` bits are at positions <= k:
/// the bytes from an opening quote up to (not including) its closing one.
static inline __attribute__((always_inline)) uint64_t cjk_prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

#if CJK_X86
/// `cjk_prefix_xor` in one carry-less multiply by all ones (PCLMULQDQ).
__attribute__((target("sse2,pclmul"), always_inline)) static inline uint64_t cjk_prefix_xor_clmul(uint64_t x) {
    __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xFF), 0);
    return (uint64_t)_mm_cvtsi128_si64(product);
}
#endif

/// The bytes escaped by a backslash (the byte after each backslash that is
/// not itself escaped), with `*carry` (0 or 1) saying whether byte 0 is
/// escaped by the block before, updated for the next block. Backslashes
/// are rare in CloudTrail, so one step per backslash.
static inline __attribute__((always_inline)) uint64_t cjk_escaped(uint64_t backslash, uint64_t *carry) {
    uint64_t escaped = *carry;
    uint64_t next = 0;
    while (backslash) {
        int t = __builtin_ctzll(backslash);
        backslash &= backslash - 1;
        if ((escaped >> t) & 1) continue;  // an escaped backslash escapes nothing
        if (t == 63) next = 1; else escaped |= (uint64_t)1 << (t + 1);
    }
    *carry = next;
    return escaped;
}

static const uint8_t cjk_event_source[13] = {'"', 'e', 'v', 'e', 'n', 't', 'S', 'o', 'u', 'r', 'c', 'e', '"'};

/// The skip loop, one copy per instruction set (`BLOCK` gives the masks).
/// See cjk_skip in the header for the contract.
#define CJK_SKIP_BODY(BLOCK, PREFIX_XOR)                                                                                   \
    size_t k = start;                                                                                             \
    uint64_t depth = initial_depth;                                                                               \
    uint64_t bits = initial_depth ? 1 : 0; /* bit stack of the innermost 64 levels, 1 = object */                 \
    size_t spilled = 0;                                                                                           \
    uint64_t in_string = 0, escape_carry = 0, previous_quotes = 0;                                                \
    while (k < count) {                                                                                           \
        const uint8_t *p = base + k;                                                                              \
        cjk_block m = BLOCK(p);                                                                                   \
        uint64_t valid = count - k >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << (count - k)) - 1);                     \
        uint64_t backslash = m.backslash & valid;                                                                 \
        uint64_t escaped = (backslash | escape_carry) ? cjk_escaped(backslash, &escape_carry) : 0;                \
        uint64_t quotes = m.quote & valid & ~escaped;                                                             \
        uint64_t strings = PREFIX_XOR(quotes) ^ in_string;                                                        \
        in_string = (uint64_t)((int64_t)strings >> 63);                                                           \
        uint64_t events = m.bracket & valid & ~strings;                                                           \
        if (watch) {                                                                                              \
            /* An `S` six bytes after a quote, inside a string: maybe "eventSource". */                           \
            uint64_t after_quote = (quotes << 6) | (previous_quotes >> 58);                                       \
            events |= ((m.letter & after_quote) | backslash) & strings & valid;                                   \
        }                                                                                                         \
        previous_quotes = quotes;                                                                                 \
        while (events) {                                                                                          \
            int t = __builtin_ctzll(events);                                                                      \
            events &= events - 1;                                                                                 \
            size_t at = k + (size_t)t;                                                                            \
            uint8_t c = p[t];                                                                                     \
            if (c == '\\') {                                                                                      \
                if (depth == 1) { *end = at; return CJK_SKIP_ESCAPE; }                                            \
                continue;                                                                                         \
            }                                                                                                     \
            if (c == 'S') {                                                                                       \
                if (depth != 1) continue;                                                                         \
                const uint8_t *q = base + at - 6;                                                                 \
                int same = 1;                                                                                     \
                for (int n = 0; n < 13; n++) same &= q[n] == cjk_event_source[n];                                 \
                if (!same) continue;                                                                              \
                /* A member name is followed by ':' (after whitespace). */                                        \
                size_t after = at + 7;                                                                            \
                while (after < count && (base[after] == ' ' || base[after] == '\n' || base[after] == '\r' ||       \
                                         base[after] == '\t'))                                                    \
                    after++;                                                                                      \
                if (after >= count) { *end = count; return CJK_SKIP_NEED_MORE; }                                  \
                if (base[after] == ':') { *end = at - 6; return CJK_SKIP_NAME; }                                  \
                continue;                                                                                         \
            }                                                                                                     \
            if ((c | 0x20) == '{') {                                                                              \
                if (depth != 0 && (depth & 63) == 0) {                                                            \
                    if (spilled == spill_capacity) { *end = at; return CJK_SKIP_DEEP; }                           \
                    spill[spilled++] = bits;                                                                      \
                    bits = 0;                                                                                     \
                }                                                                                                 \
                bits = bits << 1 | (c == '{' ? 1 : 0);                                                            \
                depth++;                                                                                          \
            } else {                                                                                              \
                if (depth == 0 || (bits & 1) != (c == '}' ? 1u : 0u)) { *end = at; return CJK_SKIP_MISMATCH; }    \
                depth--;                                                                                          \
                if (depth == 0) { *end = at + 1; return CJK_SKIP_END; }                                           \
                bits >>= 1;                                                                                       \
                if ((depth & 63) == 0) bits = spill[--spilled];                                                   \
            }                                                                                                     \
        }                                                                                                         \
        k += 64;                                                                                                  \
    }                                                                                                             \
    *end = count;                                                                                                 \
    return CJK_SKIP_NEED_MORE;

#define CJK_SKIP_PARAMS                                                                                           \
    const uint8_t *base, size_t start, size_t count, int initial_depth, int watch, uint64_t *spill,               \
        size_t spill_capacity, size_t *end

static int cjk_skip_portable(CJK_SKIP_PARAMS) { CJK_SKIP_BODY(cjk_block_portable, cjk_prefix_xor) }

#if CJK_X86
// SSE2 is the x86-64 baseline, without PCLMULQDQ; the AVX copies use it
// (checked beside AVX2 / AVX-512BW by cjk_skip_isa_supported).
__attribute__((target("sse2"))) static int cjk_skip_sse2(CJK_SKIP_PARAMS) {
    CJK_SKIP_BODY(cjk_block_sse2, cjk_prefix_xor)
}
__attribute__((target("avx2,pclmul"))) static int cjk_skip_avx2(CJK_SKIP_PARAMS) {
    CJK_SKIP_BODY(cjk_block_avx2, cjk_prefix_xor_clmul)
}
__attribute__((target("avx512f,avx512bw,pclmul"))) static int cjk_skip_avx512(CJK_SKIP_PARAMS) {
    CJK_SKIP_BODY(cjk_block_avx512, cjk_prefix_xor_clmul)
}
#endif

int cjk_skip_isa_supported(int isa) {
    switch (isa) {
    case CJK_ISA_PORTABLE: return 1;
#if CJK_X86
    case CJK_ISA_SSE2: return 1;  // part of x86-64
    case CJK_ISA_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") ? 1 : 0;
    case CJK_ISA_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                       __builtin_cpu_supports("pclmul")
                   ? 1
                   : 0;
#endif
    default: return 0;
    }
}

static int cjk_chosen_isa = -1;

int cjk_skip_isa(void) {
    int isa = __atomic_load_n(&cjk_chosen_isa, __ATOMIC_RELAXED);
    if (isa >= 0) return isa;
    isa = CJK_ISA_PORTABLE;
    for (int candidate = CJK_ISA_AVX512; candidate > CJK_ISA_PORTABLE; candidate--) {
        if (cjk_skip_isa_supported(candidate)) { isa = candidate; break; }
    }
    // Every thread computes the same value: a race only repeats the test.
    __atomic_store_n(&cjk_chosen_isa, isa, __ATOMIC_RELAXED);
    return isa;
}

typedef int (*cjk_skip_fn)(CJK_SKIP_PARAMS);

static cjk_skip_fn cjk_skip_function(int isa) {
    switch (isa) {
#if CJK_X86
    case CJK_ISA_AVX512: return cjk_skip_avx512;
    case CJK_ISA_AVX2: return cjk_skip_avx2;
    case CJK_ISA_SSE2: return cjk_skip_sse2;
#endif
    default: return cjk_skip_portable;
    }
}

int cjk_skip_with(int isa, CJK_SKIP_PARAMS) {
    return cjk_skip_function(isa)(base, start, count, initial_depth, watch, spill, spill_capacity, end);
}

/// The chosen copy, found on the first call (one indirect call after).
static cjk_skip_fn cjk_chosen_function = 0;

int cjk_skip(CJK_SKIP_PARAMS) {
    cjk_skip_fn function = __atomic_load_n(&cjk_chosen_function, __ATOMIC_RELAXED);
    if (!function) {
        function = cjk_skip_function(cjk_skip_isa());
        __atomic_store_n(&cjk_chosen_function, function, __ATOMIC_RELAXED);
    }
    return function(base, start, count, initial_depth, watch, spill, spill_capacity, end);
}
