package io.github.dl4jclassics.experiments.regress;

import java.util.Locale;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What ND4J runs on: the backend class, its environment report, and libnd4j's build flags (which name cuDNN or
 * oneDNN when the native library was built with them). {@code regress --gpu} refuses to run unless this says CUDA,
 * so a nightly "GPU" job cannot silently measure a CPU fallback.
 *
 * @param backend   the ND4J backend class (e.g. CpuBackend, JCublasBackend)
 * @param cuda      true for the CUDA backend
 * @param cudnn     true when libnd4j reports cuDNN among its build flags
 * @param buildInfo libnd4j's build description
 * @param environment ND4J's environment information (devices, memory, BLAS)
 */
public record BackendInfo(String backend, boolean cuda, boolean cudnn, String buildInfo, String environment) {

    public static BackendInfo current() {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        String build;
        try {
            build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        } catch (RuntimeException | LinkageError e) {
            build = "unavailable (" + e.getMessage() + ")";
        }
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        boolean cuda = backend.toLowerCase(Locale.ROOT).contains("cuda") || backend.contains("Cublas");
        boolean cudnn = build != null && build.toUpperCase(Locale.ROOT).contains("CUDNN");
        return new BackendInfo(backend, cuda, cudnn, build == null ? "" : build.trim(), String.valueOf(env));
    }

    /** Fails unless ND4J runs on CUDA: the check behind {@code regress --gpu}. */
    public void requireCuda() {
        if (!cuda) {
            throw new IllegalStateException("--gpu was given but ND4J runs on the " + backend + " backend, not CUDA."
                    + " Build with -Pcuda (nd4j-cuda-11.6 and its linux-x86_64-cudnn classifier) and set"
                    + " javacpp.platform to match; see docs/REGRESSION.md");
        }
    }

    public String summary() {
        return "ND4J backend " + backend + (cuda ? " (CUDA" + (cudnn ? ", cuDNN" : ", no cuDNN in libnd4j build") + ")" : "")
                + "; libnd4j build: " + buildInfo.replace('\n', ' ');
    }
}
