// zlib's inflateInit2 and deflateInit2 are function-like macros that pass
// ZLIB_VERSION and sizeof(z_stream) for an ABI check. Swift cannot import
// macros, so these static inline wrappers expand them on the C side.
#ifndef TRAILSCAN_CZLIB_SHIM_H
#define TRAILSCAN_CZLIB_SHIM_H

#include <zlib.h>

static inline int czlib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

static inline int czlib_deflateInit2(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

#endif
