// The skipper's body, included once per instruction set by CJSONKernel.c
// with these macros defined:
//   KERNEL_FN      the function's name
//   KERNEL_ATTRS   its attributes (a target("...") for the AVX2 copy)
//   CLASSIFY       classify(p, &masks) for one 64-byte block
//   PREFIX_XOR     bit i of the result = XOR of bits 0...i
//
// Whitespace-free JSON (what CloudTrail writes) is validated with bitmask
// rules over whole blocks: every token's successor must be of an allowed
// class, object keys are told from string values by where they start, and
// only brackets are walked one by one (for the nesting stack and the
// object/array context of commas and colons). Anything else gives up.

static KERNEL_ATTRS ptrdiff_t KERNEL_FN(const uint8_t *base, ptrdiff_t start) {
    const uint8_t *block = base + start;
    uint64_t prev_in_string = 0;  // all ones when the previous block ended inside a string
    uint64_t prev_context = 0;    // all ones when it ended inside an object
    uint64_t escape_carry = 0;    // 1: this block's first byte is escaped
    uint64_t key_carry = 0;       // 1: a string starting at bit 0 is a key
    uint64_t add_carry = 0;       // carry of the key-end addition
    uint64_t other_carry = 0;     // the previous block ended inside a scalar
    // Successor rules pending from the previous block's last byte.
    uint64_t carry_lbrace = 0, carry_lbrack = 0, carry_value = 0, carry_key = 0,
             carry_keyend = 0, carry_after = 0, carry_other = 0;
    uint64_t stack = 0;  // enclosing containers, 1 = object; innermost in bit 0
    uint64_t in_object = 0;
    int depth = 0;
    for (;;) {
        // Safe: a block is only followed by another when it held no byte
        // <= 0x1F, so no padding byte: every block starts at or before
        // base + count and its 64 bytes are readable.
        block_masks m;
        CLASSIFY(block, &m);

        // Non-ASCII (UTF-8 is left to the exact walker), control bytes (in a
        // string an error, outside whitespace or the end of the data).
        uint64_t suspicious = m.nonascii | m.ctrl;
        uint64_t escaped = 0;
        if (m.backslash | escape_carry) {
            uint64_t bad;
            escaped = find_escaped(block, m.backslash, escape_carry, &escape_carry, &bad);
            suspicious |= bad;
        }
        uint64_t quotes = m.quote & ~escaped;
        uint64_t in_string = PREFIX_XOR(quotes) ^ prev_in_string;  // opening quote in, closing out
        prev_in_string = (uint64_t)((int64_t)in_string >> 63);
        uint64_t out = ~in_string;
        suspicious |= m.space & out;  // whitespace between tokens: not handled here

        uint64_t q_open = quotes & in_string;
        uint64_t q_close = quotes & out;
        uint64_t opener = m.opener & out;
        uint64_t closer = m.closer & out;
        uint64_t colon = m.colon & out;
        uint64_t comma = m.comma & out;
        uint64_t other = out & ~(m.quote | m.opener | m.closer | m.colon | m.comma | m.space | m.ctrl);

        // The brackets, one by one: nesting, matching, and where the
        // context (object or array) changes; stops at the container's end.
        uint64_t toggles = 0;
        int end = -1;
        int bad_bracket = 0;
        uint64_t brackets = opener | closer;
        while (brackets) {
            int p = __builtin_ctzll(brackets);
            brackets &= brackets - 1;
            uint8_t c = block[p];
            uint64_t is_object = (c >> 5) & 1;  // '{' '}' vs '[' ']'
            uint64_t before = in_object;
            if ((c & 2) != 0) {  // '{' or '['
                stack = (stack << 1) | in_object;
                in_object = is_object;
                depth++;
                bad_bracket |= depth > 64;
            } else {
                bad_bracket |= (int)(in_object ^ is_object);
                in_object = stack & 1;
                stack >>= 1;
                depth--;
                if (depth == 0) {
                    end = p;
                    break;
                }
            }
            toggles |= (before ^ in_object) << p;
        }
        uint64_t context = PREFIX_XOR(toggles) ^ prev_context;  // 1 inside an object
        prev_context = (uint64_t)((int64_t)context >> 63);

        // Keys: strings right after '{' or an object's ','. Adding their
        // opening bit to the in-string run carries to the closing quote.
        uint64_t lbrace = opener & m.bit5;
        uint64_t object_comma = comma & context;
        uint64_t key_before = lbrace | object_comma;
        uint64_t key_start = q_open & ((key_before << 1) | key_carry);
        key_carry = key_before >> 63;
        uint64_t sum1, sum2;
        uint64_t c1 = __builtin_add_overflow(in_string, key_start, &sum1);
        uint64_t c2 = __builtin_add_overflow(sum1, add_carry, &sum2);
        add_carry = c1 | c2;
        uint64_t key_end = sum2 & out;

        // What may follow each token (the next byte, no whitespace).
        uint64_t value_start = q_open | opener | other;
        uint64_t lbrack = opener & ~m.bit5;
        uint64_t value_before = colon | (comma & ~context);
        uint64_t after_value = (q_close & ~key_end) | closer;
        uint64_t errors = 0;
        errors |= ((lbrace << 1) | carry_lbrace) & ~(q_open | (closer & m.bit5));
        errors |= ((lbrack << 1) | carry_lbrack) & ~(value_start | (closer & ~m.bit5));
        errors |= ((value_before << 1) | carry_value) & ~value_start;
        errors |= ((object_comma << 1) | carry_key) & ~q_open;
        errors |= ((key_end << 1) | carry_keyend) & ~colon;
        errors |= ((after_value << 1) | carry_after) & ~(comma | closer);
        errors |= ((other << 1) | carry_other) & ~(other | comma | closer);
        carry_lbrace = lbrace >> 63;
        carry_lbrack = lbrack >> 63;
        carry_value = value_before >> 63;
        carry_key = object_comma >> 63;
        carry_keyend = key_end >> 63;
        carry_after = after_value >> 63;
        carry_other = other >> 63;

        // Only bytes up to the closing bracket belong to the value.
        uint64_t mine = end >= 0 ? ((uint64_t)2 << end) - 1 : ~(uint64_t)0;
        if (((errors | suspicious) & mine) | (uint64_t)bad_bracket) return -1;

        // Numbers and literals: each run of scalar bytes must be exactly one.
        uint64_t scalars = other & ~((other << 1) | other_carry) & mine;
        other_carry = other >> 63;
        while (scalars) {
            const uint8_t *s = block + __builtin_ctzll(scalars);
            scalars &= scalars - 1;
            const uint8_t *e = scalar_end(s);
            if (!e) return -1;
            uint8_t n = *e;
            if (!(n == ',' || n == '}' || n == ']')) return -1;
        }
        if (end >= 0) return (block - base) + end + 1;
        block += 64;
    }
}
