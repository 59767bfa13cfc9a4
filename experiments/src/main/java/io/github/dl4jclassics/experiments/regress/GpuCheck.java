package io.github.dl4jclassics.experiments.regress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether the CUDA backend can serve this machine's GPUs, checked before any training: ND4J 1.0.0-M2.1's only CUDA
 * build on Maven Central, nd4j-cuda-11.6 (cuDNN 8.3), holds compiled kernels for compute capabilities 3.7 to 8.6 and
 * no PTX. CUDA runs a kernel compiled for X.y on any X.z with z >= y, so GPUs from 3.7 up to 8.9 (Ada) work; Hopper
 * (9.0: H100, H200) and Blackwell (10.x, 12.x) cannot, and would otherwise fail with a native error mid-run.
 */
public final class GpuCheck {

    /** One CUDA device as ND4J reports it. */
    public record Gpu(int index, String name, int major, int minor) {

        public String computeCapability() {
            return major + "." + minor;
        }

        @Override
        public String toString() {
            return "GPU " + index + ": " + name + ", compute capability " + computeCapability();
        }
    }

    private GpuCheck() {
    }

    /** Whether nd4j-cuda-11.6 1.0.0-M2.1 has kernels that run on compute capability {@code major.minor}. */
    public static boolean supported(int major, int minor) {
        return (major == 3 && minor >= 7) || (major >= 5 && major <= 8);
    }

    /** The error for a GPU the backend cannot serve, naming it, its compute capability and the supported range. */
    public static String unsupportedMessage(Gpu gpu) {
        return gpu + " is not supported by the CUDA backend of ND4J 1.0.0-M2.1 (nd4j-cuda-11.6, cuDNN 8.3): its native"
                + " library has compiled kernels for compute capabilities 3.7 to 8.6 only and no PTX, so it runs on GPUs"
                + " of compute capability 3.7 to 8.9 (Kepler K80 to Ampere and Ada), not on Hopper (H100, H200: 9.0) or"
                + " Blackwell (10.x, 12.x), and there is no CUDA 12 build of this DL4J version. Run on such a GPU, or"
                + " on the CPU (build without -Pcuda); see the README's GPU section.";
    }

    /** The CUDA devices listed in ND4J's environment information (empty on the CPU backend). */
    public static List<Gpu> devices(Properties environment) {
        List<Gpu> gpus = new ArrayList<>();
        if (environment.get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY) instanceof List<?> devices) {
            for (Object device : devices) {
                if (device instanceof Map<?, ?> properties) {
                    gpus.add(new Gpu(gpus.size(), String.valueOf(properties.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY)),
                            number(properties.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY)),
                            number(properties.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY))));
                }
            }
        }
        return gpus;
    }

    /**
     * On CUDA: the GPUs, each checked against the supported range (an {@link IllegalStateException} with
     * {@link #unsupportedMessage} for the first that is not), then one small convolution on the device, checked.
     * Returns what to print. On the CPU backend, the convolution only.
     */
    public static List<String> verify(boolean cuda) {
        List<String> lines = new ArrayList<>();
        if (cuda) {
            List<Gpu> gpus = devices(Nd4j.getExecutioner().getEnvironmentInformation());
            if (gpus.isEmpty()) {
                throw new IllegalStateException("the CUDA backend is loaded but reports no GPU; check the NVIDIA driver"
                        + " (nvidia-smi) and CUDA_VISIBLE_DEVICES");
            }
            for (Gpu gpu : gpus) {
                if (!supported(gpu.major(), gpu.minor())) {
                    throw new IllegalStateException(unsupportedMessage(gpu));
                }
                lines.add(gpu.toString());
            }
        }
        lines.add(convolutionCheck());
        return lines;
    }

    /**
     * A 3x3 convolution of ones over a 4x4 image of ones: every one of the 2x2 outputs must be 9. Fails with a clear
     * message instead of a crash later in a run when the device's kernels do not work.
     */
    static String convolutionCheck() {
        INDArray input = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, 4, 4);
        INDArray weights = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 3, 1, 1); // [kH, kW, in, out]
        INDArray output;
        try {
            output = Nd4j.cnn().conv2d(input, weights, Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1)
                    .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build());
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("a 3x3 convolution on the " + backendName() + " backend failed: " + e, e);
        }
        boolean right = java.util.Arrays.equals(output.shape(), new long[]{1, 1, 2, 2})
                && output.minNumber().doubleValue() == 9 && output.maxNumber().doubleValue() == 9;
        if (!right) {
            throw new IllegalStateException("a 3x3 convolution of ones on the " + backendName()
                    + " backend gave " + output + " instead of 2x2 nines");
        }
        return "convolution check on the " + backendName() + " backend: OK";
    }

    private static String backendName() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }

    private static int number(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("ND4J reported a GPU compute capability that is not a number: " + value);
        }
    }
}
