// See include/CJSONKernel.h for the contract.
#include "CJSONKernel.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct {
    uint64_t quote;      // '"'
    uint64_t backslash;  // '\\'
    uint64_t ctrl;       // bytes <= 0x1F (the zero padding included)
    uint64_t space;      // ' '
    uint64_t nonascii;   // bytes >= 0x80
    uint64_t opener;     // '{' '['
    uint64_t closer;     // '}' ']'
    uint64_t bit5;       // bytes with bit 5 set: tells '{' '}' from '[' ']'
    uint64_t colon;      // ':'
    uint64_t comma;      // ','
} block_masks;

#if defined(__SSE2__)
static inline uint64_t mask16(__m128i v, int k) {
    return (uint64_t)(uint16_t)_mm_movemask_epi8(v) << (16 * k);
}

static inline void classify_sse2(const uint8_t *p, block_masks *m) {
    block_masks r = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));  // '[' -> '{', ']' -> '}'
        r.quote |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), k);
        r.backslash |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')), k);
        r.ctrl |= mask16(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v), k);
        r.space |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), k);
        r.nonascii |= mask16(v, k);
        r.opener |= mask16(_mm_cmpeq_epi8(lower, _mm_set1_epi8('{')), k);
        r.closer |= mask16(_mm_cmpeq_epi8(lower, _mm_set1_epi8('}')), k);
        r.bit5 |= mask16(_mm_slli_epi16(v, 2), k);
        r.colon |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')), k);
        r.comma |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), k);
    }
    *m = r;
}
#endif

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CJK_HAVE_AVX2 1
#include <immintrin.h>
#define AVX2_ATTRS __attribute__((target("avx2,bmi,pclmul")))

static inline AVX2_ATTRS uint64_t mask32(__m256i v, int k) {
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(v) << (32 * k);
}

static inline AVX2_ATTRS void classify_avx2(const uint8_t *p, block_masks *m) {
    block_masks r = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 2; k++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k));
        __m256i lower = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
        r.quote |= mask32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')), k);
        r.backslash |= mask32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\')), k);
        r.ctrl |= mask32(_mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1F)), v), k);
        r.space |= mask32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(' ')), k);
        r.nonascii |= mask32(v, k);
        r.opener |= mask32(_mm256_cmpeq_epi8(lower, _mm256_set1_epi8('{')), k);
        r.closer |= mask32(_mm256_cmpeq_epi8(lower, _mm256_set1_epi8('}')), k);
        r.bit5 |= mask32(_mm256_slli_epi16(v, 2), k);
        r.colon |= mask32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(':')), k);
        r.comma |= mask32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(',')), k);
    }
    *m = r;
}

static inline AVX2_ATTRS uint64_t prefix_xor_clmul(uint64_t x) {
    __m128i all = _mm_set1_epi8((char)0xFF);
    return (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), all, 0));
}

#define AVX512_ATTRS __attribute__((target("avx512f,avx512bw,bmi,pclmul")))

static inline AVX512_ATTRS void classify_avx512(const uint8_t *p, block_masks *m) {
    __m512i v = _mm512_loadu_si512((const void *)p);
    __m512i lower = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    m->quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
    m->backslash = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\'));
    m->ctrl = _mm512_cmplt_epu8_mask(v, _mm512_set1_epi8(0x20));
    m->space = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' '));
    m->nonascii = _mm512_movepi8_mask(v);
    m->opener = _mm512_cmpeq_epi8_mask(lower, _mm512_set1_epi8('{'));
    m->closer = _mm512_cmpeq_epi8_mask(lower, _mm512_set1_epi8('}'));
    m->bit5 = _mm512_test_epi8_mask(v, _mm512_set1_epi8(0x20));
    m->colon = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(':'));
    m->comma = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(','));
}

static inline AVX512_ATTRS uint64_t prefix_xor_clmul512(uint64_t x) {
    __m128i all = _mm_set1_epi8((char)0xFF);
    return (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), all, 0));
}
#endif

static inline void classify_portable(const uint8_t *p, block_masks *m) {
    block_masks r = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 64; k++) {
        uint8_t b = p[k];
        uint64_t bit = (uint64_t)1 << k;
        if (b == '"') r.quote |= bit;
        if (b == '\\') r.backslash |= bit;
        if (b <= 0x1F) r.ctrl |= bit;
        if (b == ' ') r.space |= bit;
        if (b >= 0x80) r.nonascii |= bit;
        if (b == '{' || b == '[') r.opener |= bit;
        if (b == '}' || b == ']') r.closer |= bit;
        if (b & 0x20) r.bit5 |= bit;
        if (b == ':') r.colon |= bit;
        if (b == ',') r.comma |= bit;
    }
    *m = r;
}

/// Bit i of the result is the XOR of bits 0...i of x.
static inline uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

static inline int is_digit(uint8_t b) { return (uint8_t)(b - '0') < 10; }

static inline int is_hex(uint8_t b) {
    return is_digit(b) || (uint8_t)((b | 0x20) - 'a') < 6;
}

static inline uint32_t load32(const uint8_t *p) {
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

/// The end of the number or literal at `p`, or NULL when it is not one.
/// Stops at the first byte that cannot continue it (the padding ends it).
static const uint8_t *scalar_end(const uint8_t *p) {
    uint8_t c = *p;
    if (c == 't') return load32(p) == load32((const uint8_t *)"true") ? p + 4 : NULL;
    if (c == 'n') return load32(p) == load32((const uint8_t *)"null") ? p + 4 : NULL;
    if (c == 'f') return load32(p + 1) == load32((const uint8_t *)"alse") ? p + 5 : NULL;
    if (c == '-') c = *++p;
    if (c == '0') {
        p++;
    } else if (is_digit(c)) {
        while (is_digit(*p)) p++;
    } else {
        return NULL;
    }
    if (*p == '.') {
        p++;
        if (!is_digit(*p)) return NULL;
        while (is_digit(*p)) p++;
    }
    if ((*p | 0x20) == 'e') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!is_digit(*p)) return NULL;
        while (is_digit(*p)) p++;
    }
    return p;
}

/// Marks the bytes escaped by a backslash (the byte after an unescaped one)
/// and checks each escape; sets *bad to the escapes that are not valid.
/// `carry` is 1 when the block's first byte is escaped by the previous
/// block's last backslash; the returned *carry_out is the same for the next.
static uint64_t find_escaped(const uint8_t *block, uint64_t backslash, uint64_t carry,
                             uint64_t *carry_out, uint64_t *bad) {
    uint64_t escaped = carry;
    uint64_t out = 0;
    while (backslash) {
        int p = __builtin_ctzll(backslash);
        backslash &= backslash - 1;
        if ((escaped >> p) & 1) continue;
        if (p == 63) out = 1; else escaped |= (uint64_t)1 << (p + 1);
    }
    uint64_t check = escaped;
    uint64_t wrong = 0;
    while (check) {
        int p = __builtin_ctzll(check);
        check &= check - 1;
        const uint8_t *e = block + p;
        switch (*e) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            break;
        case 'u':
            // Safe: *e is not a padding byte, so e + 4 is within the padding.
            if (!(is_hex(e[1]) && is_hex(e[2]) && is_hex(e[3]) && is_hex(e[4])))
                wrong |= (uint64_t)1 << p;
            break;
        default:
            wrong |= (uint64_t)1 << p;
        }
    }
    *carry_out = out;
    *bad = wrong;
    return escaped;
}

#if defined(__SSE2__)
#define KERNEL_FN skip_baseline
#define KERNEL_ATTRS
#define CLASSIFY classify_sse2
#define PREFIX_XOR prefix_xor
#include "kernel_body.h"
#undef KERNEL_FN
#undef KERNEL_ATTRS
#undef CLASSIFY
#undef PREFIX_XOR
#else
#define KERNEL_FN skip_baseline
#define KERNEL_ATTRS
#define CLASSIFY classify_portable
#define PREFIX_XOR prefix_xor
#include "kernel_body.h"
#undef KERNEL_FN
#undef KERNEL_ATTRS
#undef CLASSIFY
#undef PREFIX_XOR
#endif

#if CJK_HAVE_AVX2
#define KERNEL_FN skip_avx2
#define KERNEL_ATTRS AVX2_ATTRS
#define CLASSIFY classify_avx2
#define PREFIX_XOR prefix_xor_clmul
#include "kernel_body.h"
#undef KERNEL_FN
#undef KERNEL_ATTRS
#undef CLASSIFY
#undef PREFIX_XOR

#define KERNEL_FN skip_avx512
#define KERNEL_ATTRS AVX512_ATTRS
#define CLASSIFY classify_avx512
#define PREFIX_XOR prefix_xor_clmul512
#include "kernel_body.h"
#undef KERNEL_FN
#undef KERNEL_ATTRS
#undef CLASSIFY
#undef PREFIX_XOR
#endif

ptrdiff_t cjk_skip_container(const uint8_t *base, ptrdiff_t start, ptrdiff_t count) {
    (void)count;  // the padding bounds every read (see the header)
#if CJK_HAVE_AVX2 && !defined(CJK_BASELINE_ONLY)
#if !defined(CJK_NO_AVX512)
    if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("pclmul")) return skip_avx512(base, start);
#endif
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul")) return skip_avx2(base, start);
#endif
    return skip_baseline(base, start);
}
