// Winograd F(2, 4) transforms on the points 0, 1, −1, 2, ∞ (matrices in WinogradTransforms.swift),
// vectorised over channels. The function is compiled for AVX-512, AVX2 and the baseline, chosen
// at load time by the CPU (target_clones); FP contraction is off, so every clone rounds alike.
#include "cwinograd.h"

#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#define LANES 64

// One 1-D transform of n lanes: inputs `stride` apart in s, outputs `ostride` apart in d.
static inline __attribute__((always_inline)) void transform_1d(
    cwinograd_step step, const float *restrict s, long stride, float *restrict d, long ostride, long n)
{
    switch (step) {
    case cwinograd_input:
        for (long c = 0; c < n; c++) {
            float d0 = s[c], d1 = s[c + stride], d2 = s[c + 2 * stride], d3 = s[c + 3 * stride],
                  d4 = s[c + 4 * stride];
            d[c] = 2 * (d0 - d2) + (d3 - d1);
            d[c + ostride] = d3 - 2 * d1 - d2;
            d[c + 2 * ostride] = d3 + 2 * d1 - 3 * d2;
            d[c + 3 * ostride] = d3 - d1;
            d[c + 4 * ostride] = 2 * (d1 - d3) + (d4 - d2);
        }
        break;
    case cwinograd_kernel:
        for (long c = 0; c < n; c++) {
            float g0 = s[c], g1 = s[c + stride], g2 = s[c + 2 * stride], g3 = s[c + 3 * stride];
            d[c] = 0.5f * g0;
            d[c + ostride] = -0.5f * ((g0 + g1) + (g2 + g3));
            d[c + 2 * ostride] = (1.0f / 6) * ((g1 - g0) + (g3 - g2));
            d[c + 3 * ostride] = (1.0f / 6) * (g0 + 2 * g1 + 4 * g2 + 8 * g3);
            d[c + 4 * ostride] = g3;
        }
        break;
    case cwinograd_output:
        for (long c = 0; c < n; c++) {
            float m0 = s[c], m1 = s[c + stride], m2 = s[c + 2 * stride], m3 = s[c + 3 * stride],
                  m4 = s[c + 4 * stride];
            d[c] = m0 + (m1 + m2) + m3;
            d[c + ostride] = (m1 - m2) + 2 * m3 + m4;
        }
        break;
    case cwinograd_output_gradient:
        for (long c = 0; c < n; c++) {
            float y0 = s[c], y1 = s[c + stride];
            d[c] = y0;
            d[c + ostride] = y0 + y1;
            d[c + 2 * ostride] = y0 - y1;
            d[c + 3 * ostride] = y0 + 2 * y1;
            d[c + 4 * ostride] = y1;
        }
        break;
    case cwinograd_kernel_gradient:
        for (long c = 0; c < n; c++) {
            float u0 = s[c], u1 = s[c + stride], u2 = s[c + 2 * stride], u3 = s[c + 3 * stride],
                  u4 = s[c + 4 * stride];
            const float sixth = 1.0f / 6;
            float half = -0.5f * u1;
            d[c] = 0.5f * u0 + half + sixth * (u3 - u2);
            d[c + ostride] = half + sixth * (u2 + 2 * u3);
            d[c + 2 * ostride] = half + sixth * (4 * u3 - u2);
            d[c + 3 * ostride] = half + sixth * (u2 + 8 * u3) + u4;
        }
        break;
    }
}

static const int sizes[5][2] = {{5, 5}, {4, 5}, {5, 2}, {2, 5}, {5, 4}};

// Clones need ifunc resolution (ELF) and x86; elsewhere the compiler's baseline vectorisation.
#if defined(__x86_64__) && defined(__ELF__)
#define CWINOGRAD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CWINOGRAD_CLONES
#endif

CWINOGRAD_CLONES
void cwinograd_apply_2d(
    cwinograd_step step, long channels, const float *source, long rows, long columns, float *destination,
    long output_rows, long output_columns, float *scratch)
{
    const int in = sizes[step][0], out = sizes[step][1];
    for (long c0 = 0; c0 < channels; c0 += LANES) {
        long n = channels - c0 < LANES ? channels - c0 : LANES;
        for (int a = 0; a < in; a++)
            transform_1d(step, source + a * rows + c0, columns, scratch + a * out * LANES, LANES, n);
        for (int q = 0; q < out; q++)
            transform_1d(step, scratch + q * LANES, out * LANES, destination + q * output_columns + c0, output_rows, n);
    }
}
