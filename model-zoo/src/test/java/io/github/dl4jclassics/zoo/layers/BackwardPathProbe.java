package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Developer probe (not a test): for every convolution layer with an input gradient in the given models, one backward
 * pass through libnd4j's conv2d_bp, through {@link ConvolutionGradients} (stride 1 only) and through
 * {@link OneDnnConvolutionBackward}, best of 7, batch 64 ({@code -Dprobe.batch}); CPU time at one native thread, wall
 * time at more ({@code -Dprobe.threads=2}). Used to derive {@link BackwardChoice}'s rule; run with
 * DNNL_MAX_CPU_ISA=AVX2 for AVX2.
 * <pre>mvn -q -pl model-zoo test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.github.dl4jclassics.zoo.layers.BackwardPathProbe -Dexec.args="lenet5:3x32x32:10 resnet18:3x64x64:6"</pre>
 */
public final class BackwardPathProbe {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        FastPath.enable();
        FastPath.setThreads(Integer.getInteger("probe.threads", 1));
        int batch = Integer.getInteger("probe.batch", 64);
        Map<String, double[]> seen = new LinkedHashMap<>();
        for (String arg : args) {
            String[] p = arg.split(":");
            ClassicModel model = ModelRegistry.standard().get(p[0]);
            ModelSpec spec = new ModelSpec(Integer.parseInt(p[2]), InputShape.parse(p[1]), 1);
            Object net = model.configuration(spec).forBackend().dl4j();
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, spec.input().channels(), spec.input().height(), spec.input().width());
            List<Layer> layers = new ArrayList<>();
            Map<Layer, INDArray> inputs = new java.util.HashMap<>();
            if (net instanceof org.deeplearning4j.nn.conf.MultiLayerConfiguration c) {
                MultiLayerNetwork m = new MultiLayerNetwork(c);
                m.init();
                List<INDArray> acts = m.feedForward(x, true);
                layers.addAll(List.of(m.getLayers()));
                for (int i = 0; i < layers.size(); i++) {
                    inputs.put(layers.get(i), acts.get(i));
                }
            } else {
                org.deeplearning4j.nn.conf.ComputationGraphConfiguration gc = (org.deeplearning4j.nn.conf.ComputationGraphConfiguration) net;
                ComputationGraph g = new ComputationGraph(gc);
                g.init();
                Map<String, INDArray> acts = g.feedForward(new INDArray[]{x}, true, false);
                layers.addAll(List.of(g.getLayers()));
                for (Layer l : layers) {
                    String name = l.getConfig().getLayerName();
                    inputs.put(l, acts.get(gc.getVertexInputs().get(name).get(0)));
                }
            }
            if (Boolean.getBoolean("probe.forward")) {
                forward(p[0], layers, inputs, seen);
                continue;
            }
            double[] totals = new double[3];
            for (Layer l : layers) {
                if (!(l instanceof FastConvolutionLayer f)) {
                    continue;
                }
                FastConvolution c = (FastConvolution) f.layerConf();
                if (!c.isInputGradient() || inputs.get(l) == null) {
                    continue;
                }
                INDArray in = inputs.get(l).dup();
                INDArray w = f.getParam("W");
                INDArray b = c.hasBias() ? f.getParam("b") : null;
                int[] k = c.getKernelSize();
                int[] pad = c.getPadding();
                int[] st = c.getStride();
                boolean strideOne = st[0] == 1 && st[1] == 1;
                long oh = (in.size(2) + 2L * pad[0] - k[0]) / st[0] + 1;
                long ow = (in.size(3) + 2L * pad[1] - k[1]) / st[1] + 1;
                String key = String.format(Locale.ROOT, "%dx%d k%dx%d s%d p%d in%d out%d", in.size(2), in.size(3), k[0],
                        k[1], st[0], pad[0], in.size(1), w.size(0));
                io.github.dl4jclassics.common.CpuIsa isa = io.github.dl4jclassics.common.CpuIsa.effective();
                BackwardChoice.Path before = BackwardChoice.byRule(k, st, oh, ow, w.size(0), isa, false);
                BackwardChoice.Path now = BackwardChoice.byRule(k, st, oh, ow, w.size(0), isa, true);
                if (seen.containsKey(key)) {
                    double[] t = seen.get(key);
                    totals[0] += t[0];
                    totals[1] += pathTime(before, t);
                    totals[2] += pathTime(now, t);
                    continue;
                }
                INDArray delta = Nd4j.rand(DataType.FLOAT, in.size(0), w.size(0), oh, ow);
                INDArray gradW = w.ulike();
                INDArray gradB = b == null ? null : b.ulike();
                INDArray gradI = in.ulike();
                Runnable libnd4j = () -> {
                    DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
                    if (b != null) {
                        op.addInputs(in, w, b, delta).addOutputs(gradI, gradW, gradB);
                    } else {
                        op.addInputs(in, w, delta).addOutputs(gradI, gradW);
                    }
                    Nd4j.exec(op.addIntegerArguments(k[0], k[1], st[0], st[1], pad[0], pad[1], 1, 1, 0, 0, 1).build());
                };
                org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration wsConf =
                        org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration.builder()
                                .policyAllocation(org.nd4j.linalg.api.memory.enums.AllocationPolicy.OVERALLOCATE)
                                .policyLearning(org.nd4j.linalg.api.memory.enums.LearningPolicy.FIRST_LOOP).build();
                LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder()
                        .with(org.deeplearning4j.nn.workspace.ArrayType.BP_WORKING_MEM, "PROBE_BP", wsConf)
                        .with(org.deeplearning4j.nn.workspace.ArrayType.ACTIVATION_GRAD, "PROBE_AG", wsConf).build();
                Runnable direct = () -> {
                    try (org.nd4j.linalg.api.memory.MemoryWorkspace a = mgr.notifyScopeEntered(org.deeplearning4j.nn.workspace.ArrayType.ACTIVATION_GRAD);
                         org.nd4j.linalg.api.memory.MemoryWorkspace bp = mgr.notifyScopeEntered(org.deeplearning4j.nn.workspace.ArrayType.BP_WORKING_MEM)) {
                        ConvolutionGradients.parameterGradients(in, delta, k, pad, gradW, gradB, mgr);
                        ConvolutionGradients.inputGradient(delta, w, in.shape(), k, pad, mgr);
                    }
                };
                OneDnnConvolutionBackward primitives = new OneDnnConvolutionBackward(in.shape(), w.size(0), k, st, pad,
                        b != null, true);
                INDArray gradIn2 = in.ulike();
                Runnable oneDnn = () -> primitives.compute(in, w, delta, gradW, gradB, gradIn2);
                OneDnnConvolutionBackward autoPrimitives = new OneDnnConvolutionBackward(in.shape(), w.size(0), k, st,
                        pad, b != null, true, org.bytedeco.dnnl.global.dnnl.dnnl_convolution_auto);
                Runnable oneDnnAuto = () -> autoPrimitives.compute(in, w, delta, gradW, gradB, gradIn2);
                // ConvolutionGradients only where it can win (stride 1, outputs of at most 4x4: 2-5x slower elsewhere, above).
                boolean directCandidate = strideOne && oh * ow <= BackwardChoice.SMALL_IMAGE_PIXELS;
                double[] t = {best(libnd4j), directCandidate ? best(direct) : Double.NaN, best(oneDnn), best(oneDnnAuto)};
                seen.put(key, t);
                String[] names = {"conv2d_bp", "direct", "onednn", "onednn-auto"};
                int win = 0;
                for (int i = 1; i < t.length; i++) {
                    win = t[i] < t[win] ? i : win;
                }
                System.out.printf(Locale.ROOT, "%-18s %-38s conv2d_bp %8.2f  direct %8.2f  onednn %8.2f  onednn-auto %8.2f ms"
                        + "  -> %s (rule: %s)%n", p[0], key, t[0], t[1], t[2], t[3], names[win], now);
                totals[0] += t[0];
                totals[1] += pathTime(before, t);
                totals[2] += pathTime(now, t);
            }
            System.out.printf(Locale.ROOT, "%-18s every layer with an input gradient, ms per step: all conv2d_bp %.2f, "
                    + "earlier rule (libnd4j) %.2f, rule %.2f%n", p[0], totals[0], totals[1], totals[2]);
        }
    }

    /** Forward pass of every convolution layer: libnd4j's conv2d against {@link OneDnnConvolutionForward}. */
    private static void forward(String model, List<Layer> layers, Map<Layer, INDArray> inputs, Map<String, double[]> seen) {
        for (Layer l : layers) {
            if (!(l instanceof FastConvolutionLayer f) || inputs.get(l) == null) {
                continue;
            }
            FastConvolution c = (FastConvolution) f.layerConf();
            INDArray in = inputs.get(l).dup();
            INDArray w = f.getParam("W");
            INDArray b = c.hasBias() ? f.getParam("b") : Nd4j.zeros(DataType.FLOAT, w.size(0));
            int[] k = c.getKernelSize();
            int[] st = c.getStride();
            int[] pad = c.getPadding();
            String key = String.format(Locale.ROOT, "fwd %dx%d k%dx%d s%d p%d in%d out%d", in.size(2), in.size(3), k[0], k[1],
                    st[0], pad[0], in.size(1), w.size(0));
            if (seen.containsKey(key)) {
                continue;
            }
            OneDnnConvolutionForward direct = new OneDnnConvolutionForward(in.shape(), w.size(0), k, st, pad);
            INDArray out = Nd4j.create(DataType.FLOAT, direct.outputShape());
            Runnable libnd4j = () -> Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(in, w, b).addOutputs(out)
                    .addIntegerArguments(k[0], k[1], st[0], st[1], pad[0], pad[1], 1, 1, 0, 0, 1).build());
            Runnable ours = () -> direct.compute(in, w, b, out);
            double[] t = {best(libnd4j), best(ours)};
            seen.put(key, t);
            System.out.printf(Locale.ROOT, "%-18s %-40s conv2d %8.2f ms  oneDNN direct %8.2f ms  -> %s%n", model, key,
                    t[0], t[1], t[0] <= t[1] ? "conv2d" : "direct");
        }
    }

    /** A path's time from a row of {conv2d_bp, direct, onednn direct, onednn auto} (the layer's ONEDNN is auto). */
    private static double pathTime(BackwardChoice.Path path, double[] t) {
        return switch (path) {
            case CONV2D_BP -> t[0];
            case DIRECT -> t[1];
            case ONEDNN -> t[3];
        };
    }

    /** Best of 7 after 2 warm-up runs: CPU time of this thread at 1 thread, wall time at more (OpenMP workers). */
    private static double best(Runnable r) {
        boolean wall = Integer.getInteger("probe.threads", 1) > 1;
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 9; i++) {
            long c = wall ? System.nanoTime() : CPU.getCurrentThreadCpuTime();
            r.run();
            double ms = ((wall ? System.nanoTime() : CPU.getCurrentThreadCpuTime()) - c) / 1e6;
            if (i >= 2) {
                best = Math.min(best, ms);
            }
        }
        return best;
    }
}
