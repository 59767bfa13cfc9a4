package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.*;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import java.util.Locale;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Developer probe (not a test): wall time of one batch-normalisation training step (forward + backward) per shape,
 * best of {@code probe.reps}, interleaved: the layer on DL4J's path, the layer on the direct oneDNN path (plain NCHW),
 * and raw oneDNN on nChw16c with the four reorders a plain-layout network needs around it; then the inference
 * forward pass on both paths.
 * <pre>mvn -q -pl model-zoo test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.github.dl4jclassics.zoo.layers.BatchNormProbe -Dexec.args="64x64x32x32 64x64x16x16"</pre>
 */
public final class BatchNormProbe {

    public static void main(String[] args) {
        FastPath.enable();
        FastPath.setThreads(Integer.getInteger("probe.threads", 2));
        int reps = Integer.getInteger("probe.reps", 15);
        System.out.println("shape                 dl4j ms  direct ms  nChw16c+reorders ms  nChw16c kernel only ms  nchw kernel ms  dl4j infer ms  direct infer ms");
        for (String arg : args) {
            String[] p = arg.split("x");
            long[] shape = {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3])};
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                    .layer(new BatchNormalization.Builder().build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                    .setInputType(InputType.convolutional(shape[2], shape[3], shape[1])).build();
            MultiLayerNetwork net = new MultiLayerNetwork((MultiLayerConfiguration) NetworkConfiguration.of(conf).forBackend().dl4j());
            net.init();
            net.initGradientsView();
            Layer layer = net.getLayer(0);
            INDArray x = Nd4j.randn(DataType.FLOAT, shape);
            INDArray eps = Nd4j.randn(DataType.FLOAT, shape);
            Blocked blocked = new Blocked(shape, dnnl_nChw16c);
            Blocked plainRaw = new Blocked(shape, dnnl_nchw);
            double best0 = Double.MAX_VALUE, best1 = Double.MAX_VALUE, best2 = Double.MAX_VALUE, best3 = Double.MAX_VALUE, best4 = Double.MAX_VALUE;
            double infer0 = Double.MAX_VALUE, infer1 = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                best0 = Math.min(best0, step(layer, x, eps, false));
                best1 = Math.min(best1, step(layer, x, eps, true));
                best2 = Math.min(best2, blocked.step(x, eps, true));
                best3 = Math.min(best3, blocked.step(x, eps, false));
                best4 = Math.min(best4, plainRaw.step(x, eps, false));
                infer0 = Math.min(infer0, inference(layer, x, false));
                infer1 = Math.min(infer1, inference(layer, x, true));
            }
            System.out.printf(Locale.ROOT, "%-20s %8.2f %10.2f %20.2f %22.2f %14.2f %16.3f %16.3f%n", arg, best0, best1, best2, best3, best4, infer0,
                    infer1);
        }
    }

    private static double step(Layer layer, INDArray x, INDArray eps, boolean direct) {
        System.setProperty(PyTorchBatchNormalizationLayer.PROPERTY, Boolean.toString(direct));
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        long t0 = System.nanoTime();
        layer.activate(x, true, mgr);
        layer.backpropGradient(eps, mgr);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double inference(Layer layer, INDArray x, boolean direct) {
        System.setProperty(PyTorchBatchNormalizationLayer.PROPERTY, direct ? "all" : "false");
        long t0 = System.nanoTime();
        layer.activate(x, false, LayerWorkspaceMgr.noWorkspaces());
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Raw oneDNN batch normalisation on nChw16c, with reorders from and to NCHW. */
    private static final class Blocked {
        final OneDnn.Handles h = new OneDnn.Handles();
        final OneDnn.Runtime rt = OneDnn.runtime();
        final dnnl_primitive toBlocked;
        final dnnl_primitive toPlain;
        final dnnl_primitive fwd;
        final dnnl_primitive bwd;
        final dnnl_memory srcPlain, dstPlain, ddstPlain, dsrcPlain, srcBlk, dstBlk, ddstBlk, dsrcBlk;
        final dnnl_exec_arg_t fwdArgs, bwdArgs;
        final INDArray out;
        final INDArray grad;

        Blocked(long[] shape, int tag) {
            dnnl_memory_desc_t plain = OneDnn.desc(shape, dnnl_nchw);
            dnnl_memory_desc_t blk = OneDnn.desc(shape, tag);
            dnnl_memory_desc_t ch = OneDnn.desc(new long[] {shape[1]}, dnnl_x);
            int flags = dnnl_use_scale | dnnl_use_shift;
            dnnl_batch_normalization_desc_t f = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_forward_desc_init(f, dnnl_forward_training, blk, 1e-5f, flags), "f");
            dnnl_primitive_desc fpd = h.pd();
            OneDnn.check(dnnl_primitive_desc_create(fpd, new const_dnnl_op_desc_t(f), null, rt.engine(), null), "fpd");
            dnnl_batch_normalization_desc_t b = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_backward_desc_init(b, dnnl_backward, blk, blk, 1e-5f, flags), "b");
            dnnl_primitive_desc bpd = h.pd();
            OneDnn.check(dnnl_primitive_desc_create(bpd, new const_dnnl_op_desc_t(b), null, rt.engine(), fpd), "bpd");
            long bytes = dnnl_memory_desc_get_size(blk);
            out = Nd4j.createUninitializedDetached(DataType.FLOAT, shape);
            grad = Nd4j.createUninitializedDetached(DataType.FLOAT, shape);
            srcPlain = h.memory(plain, rt, null);
            ddstPlain = h.memory(plain, rt, null);
            dstPlain = h.memory(plain, rt, out.data().addressPointer());
            dsrcPlain = h.memory(plain, rt, grad.data().addressPointer());
            srcBlk = h.memory(blk, rt, h.scratch(bytes));
            dstBlk = h.memory(blk, rt, h.scratch(bytes));
            ddstBlk = h.memory(blk, rt, h.scratch(bytes));
            dsrcBlk = h.memory(blk, rt, h.scratch(bytes));
            long chBytes = 4 * shape[1];
            dnnl_memory scale = h.memory(ch, rt, h.scratch(chBytes));
            dnnl_memory shift = h.memory(ch, rt, h.scratch(chBytes));
            dnnl_memory mean = h.memory(ch, rt, h.scratch(chBytes));
            dnnl_memory var = h.memory(ch, rt, h.scratch(chBytes));
            dnnl_memory dscale = h.memory(ch, rt, h.scratch(chBytes));
            dnnl_memory dshift = h.memory(ch, rt, h.scratch(chBytes));
            toBlocked = h.reorder(plain, blk, rt);
            toPlain = h.reorder(blk, plain, rt);
            fwd = h.primitive(fpd);
            bwd = h.primitive(bpd);
            fwdArgs = OneDnn.args(DNNL_ARG_SRC, srcBlk, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift, DNNL_ARG_DST, dstBlk,
                    DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, var);
            bwdArgs = OneDnn.args(DNNL_ARG_SRC, srcBlk, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, var, DNNL_ARG_DIFF_DST, ddstBlk,
                    DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift, DNNL_ARG_DIFF_SRC, dsrcBlk, DNNL_ARG_DIFF_SCALE, dscale,
                    DNNL_ARG_DIFF_SHIFT, dshift);
        }

        double step(INDArray x, INDArray eps, boolean reorders) {
            OneDnn.check(dnnl_memory_set_data_handle(srcPlain, x.data().addressPointer()), "x");
            OneDnn.check(dnnl_memory_set_data_handle(ddstPlain, eps.data().addressPointer()), "eps");
            if (!reorders) {
                reorder(toBlocked, srcPlain, srcBlk);
                reorder(toBlocked, ddstPlain, ddstBlk);
                OneDnn.check(dnnl_stream_wait(rt.stream()), "wait");
            }
            long t0 = System.nanoTime();
            if (reorders) {
                reorder(toBlocked, srcPlain, srcBlk);
            }
            OneDnn.check(dnnl_primitive_execute(fwd, rt.stream(), 6, fwdArgs), "fwd");
            if (reorders) {
                reorder(toPlain, dstBlk, dstPlain);
                reorder(toBlocked, ddstPlain, ddstBlk);
            }
            OneDnn.check(dnnl_primitive_execute(bwd, rt.stream(), 9, bwdArgs), "bwd");
            if (reorders) {
                reorder(toPlain, dsrcBlk, dsrcPlain);
            }
            OneDnn.check(dnnl_stream_wait(rt.stream()), "wait");
            return (System.nanoTime() - t0) / 1e6;
        }

        private void reorder(dnnl_primitive r, dnnl_memory from, dnnl_memory to) {
            OneDnn.check(dnnl_primitive_execute(r, rt.stream(), 2, OneDnn.args(DNNL_ARG_FROM, from, DNNL_ARG_TO, to)), "reorder");
        }
    }
}
