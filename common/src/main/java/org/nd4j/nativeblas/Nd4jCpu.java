package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim for Deeplearning4j 1.0.0-M2.1's oneDNN layer helpers. Nothing else should use it.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} decides whether the oneDNN
 * convolution, pooling and batch-norm helpers may run by reflecting on
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}. In M2.1 that class was renamed to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the method to {@code isUseONEDNN()}, so the
 * reflection fails, the failure is cached, and every helper reports "not supported": training silently falls back
 * to DL4J's Java im2col path. This class restores the old name and delegates to the new one.
 *
 * <p>The delegation is by reflection so that this module still compiles against the CUDA backend, where the CPU
 * bindings are absent (there the helpers are never asked: {@code mklDnnEnabled()} checks for the CPU backend first).
 * Remove this class when upgrading to a DL4J version whose {@code BaseMKLDNNHelper} uses the new name.
 *
 * @see io.github.dl4jclassics.common.FastPath
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old {@code Nd4jCpu.Environment}: only the two members {@code BaseMKLDNNHelper} calls. */
    public static final class Environment {

        static final String BINDINGS = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether libnd4j will use its oneDNN platform implementations: {@code Environment.isUseONEDNN()} of M2.1. */
        public boolean isUseMKLDNN() {
            try {
                Class<?> bindings = Class.forName(BINDINGS);
                Object environment = bindings.getMethod("getInstance").invoke(null);
                Method isUseOneDnn = bindings.getMethod("isUseONEDNN");
                return (boolean) isUseOneDnn.invoke(environment);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
