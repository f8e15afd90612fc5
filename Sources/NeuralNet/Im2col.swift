/// Gathers the k×k patches of a channels-last batch (N, H, W, C) into the rows of a column
/// matrix, for a stride-1 convolution whose output has the input's size H × W.
///
/// Row r holds the patch of output pixel p = first + r (p counts pixels over the whole batch,
/// image-major): `col[r, (a·k + b)·C + c] = x[n, i + a − pad, j + b − pad, c]`, zero outside the
/// image. With `pad` = ⌊(k−1)/2⌋ this is TensorFlow's 'same' padding (1 before, 2 after for
/// k = 4), and `col · K` with the Keras kernel K (k·k·C × out) is the convolution.
@inline(__always)
func im2col(
    _ x: UnsafePointer<Float>, height: Int, width: Int, channels: Int, kernel k: Int, pad: Int,
    first: Int, count: Int, into col: UnsafeMutablePointer<Float>
) {
    let c = channels, rowLength = k * c, patch = k * k * c, plane = height * width
    var n = first / plane, i = (first % plane) / width, j = first % width
    for r in 0..<count {
        let image = x + n * plane * c
        let destination = col + r * patch
        let j0 = j - pad
        for a in 0..<k {
            let d = destination + a * rowLength
            let si = i + a - pad
            if si < 0 || si >= height {
                d.update(repeating: 0, count: rowLength)
            } else if j0 >= 0 && j0 + k <= width {
                let s = image + (si * width + j0) * c
                for t in 0..<rowLength { d[t] = s[t] }
            } else {
                for b in 0..<k {
                    let sj = j0 + b
                    if sj < 0 || sj >= width {
                        (d + b * c).update(repeating: 0, count: c)
                    } else {
                        (d + b * c).update(from: image + (si * width + sj) * c, count: c)
                    }
                }
            }
        }
        j += 1
        if j == width {
            j = 0
            i += 1
            if i == height {
                i = 0
                n += 1
            }
        }
    }
}
