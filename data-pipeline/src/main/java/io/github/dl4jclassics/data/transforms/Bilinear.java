package io.github.dl4jclassics.data.transforms;

/**
 * Bilinear resampling of channels-first images with half-pixel centres (PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)}, OpenCV's {@code INTER_LINEAR}), without
 * anti-aliasing. Works on bytes (load-time resize) and floats (batch resize).
 */
public final class Bilinear {

    private Bilinear() {
    }

    /** Source coordinate lookup for one axis: lower index, upper index and weight of the upper one. */
    private record Axis(int[] low, int[] high, float[] weight) {
        static Axis of(int in, int out) {
            int[] low = new int[out];
            int[] high = new int[out];
            float[] weight = new float[out];
            double scale = (double) in / out;
            for (int i = 0; i < out; i++) {
                double src = Math.max(0, (i + 0.5) * scale - 0.5);
                int l = Math.min((int) src, in - 1);
                low[i] = l;
                high[i] = Math.min(l + 1, in - 1);
                weight[i] = (float) (src - l);
            }
            return new Axis(low, high, weight);
        }
    }

    /** Resizes {@code channels} planes of {@code inH x inW} bytes at {@code src[srcOff]} into {@code dst[dstOff]}. */
    public static void resize(byte[] src, int srcOff, int channels, int inH, int inW,
                              byte[] dst, int dstOff, int outH, int outW) {
        Axis ys = Axis.of(inH, outH);
        Axis xs = Axis.of(inW, outW);
        for (int c = 0; c < channels; c++) {
            int in = srcOff + c * inH * inW;
            int out = dstOff + c * outH * outW;
            for (int y = 0; y < outH; y++) {
                int r0 = in + ys.low[y] * inW;
                int r1 = in + ys.high[y] * inW;
                float wy = ys.weight[y];
                for (int x = 0; x < outW; x++) {
                    int x0 = xs.low[x];
                    int x1 = xs.high[x];
                    float wx = xs.weight[x];
                    float top = (src[r0 + x0] & 0xFF) * (1 - wx) + (src[r0 + x1] & 0xFF) * wx;
                    float bottom = (src[r1 + x0] & 0xFF) * (1 - wx) + (src[r1 + x1] & 0xFF) * wx;
                    int v = Math.round(top * (1 - wy) + bottom * wy);
                    dst[out + y * outW + x] = (byte) Math.min(255, Math.max(0, v));
                }
            }
        }
    }

    /** Float version of {@link #resize(byte[], int, int, int, int, byte[], int, int, int)} (no rounding). */
    public static void resize(float[] src, int srcOff, int channels, int inH, int inW,
                              float[] dst, int dstOff, int outH, int outW) {
        Axis ys = Axis.of(inH, outH);
        Axis xs = Axis.of(inW, outW);
        for (int c = 0; c < channels; c++) {
            int in = srcOff + c * inH * inW;
            int out = dstOff + c * outH * outW;
            for (int y = 0; y < outH; y++) {
                int r0 = in + ys.low[y] * inW;
                int r1 = in + ys.high[y] * inW;
                float wy = ys.weight[y];
                for (int x = 0; x < outW; x++) {
                    int x0 = xs.low[x];
                    int x1 = xs.high[x];
                    float wx = xs.weight[x];
                    float top = src[r0 + x0] * (1 - wx) + src[r0 + x1] * wx;
                    float bottom = src[r1 + x0] * (1 - wx) + src[r1 + x1] * wx;
                    dst[out + y * outW + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
    }
}
