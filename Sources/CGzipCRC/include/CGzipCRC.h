// CRC-32 of gzip (ISO 3309, reflected polynomial 0xEDB88320) with
// carry-less multiplication, for the zlib inflater: Debian's zlib 1.2.13
// computes it a byte table at a time, which is an eighth of a --jobs 1 scan.
// PCLMULQDQ folding (Intel, "Fast CRC Computation for Generic Polynomials
// Using PCLMULQDQ Instruction", 2009) runs at memory speed.
#ifndef TRAILSCAN_CGZIPCRC_H
#define TRAILSCAN_CGZIPCRC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU runs the folding code (x86-64 with PCLMULQDQ); 0 means
/// the caller keeps zlib's own check.
int gzcrc_available(void);

/// zlib's crc32() contract: the CRC-32 of the data that gave `crc`
/// (0 for none) followed by the `count` bytes at `bytes`. Only when
/// gzcrc_available().
uint32_t gzcrc_update(uint32_t crc, const uint8_t *bytes, size_t count);

#ifdef __cplusplus
}
#endif

#endif
