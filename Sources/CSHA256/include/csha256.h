// SHA-256 block compression with the x86 SHA extensions, for `Checksum.SHA256`.
#ifndef VBFGRID_CSHA256_H
#define VBFGRID_CSHA256_H
#include <stddef.h>
#include <stdint.h>

/// The 64 round constants K of FIPS 180-4 (shared with the portable Swift rounds).
const uint32_t *csha256_round_constants(void);

/// 1 when the CPU has the SHA extensions (and SSSE3, SSE4.1), else 0.
int csha256_hardware_available(void);

/// Compresses `blocks` 64-byte blocks of `data` into `state` (H0…H7); only when available.
void csha256_hardware_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
