// The 2-D tile transforms of Winograd's F(2×2, 4×4), for `NeuralNet.WinogradConvolution`.
#ifndef VBFGRID_CWINOGRAD_H
#define VBFGRID_CWINOGRAD_H

/// The 1-D transform applied along both axes (values read → written per axis).
typedef enum {
    cwinograd_input = 0,           ///< Bᵀ·d, 5 → 5
    cwinograd_kernel = 1,          ///< G·g, 4 → 5
    cwinograd_output = 2,          ///< Aᵀ·m, 5 → 2
    cwinograd_output_gradient = 3, ///< A·dy, 2 → 5
    cwinograd_kernel_gradient = 4, ///< Gᵀ·u, 5 → 4
} cwinograd_step;

/// Floats of scratch `cwinograd_apply_2d` needs.
#define CWINOGRAD_SCRATCH (25 * 64)

/// T·X·Tᵀ of `channels` independent matrices X: element (a, b) of channel c at
/// `source[a·rows + b·columns + c]`, result (p, q) at `destination[p·output_rows +
/// q·output_columns + c]`. Every lane is computed with the same float32 operations in the same
/// order whatever the vector ISA (no contraction into FMA), so results do not depend on the CPU.
void cwinograd_apply_2d(
    cwinograd_step step, long channels, const float *source, long rows, long columns, float *destination,
    long output_rows, long output_columns, float *scratch);

#endif
