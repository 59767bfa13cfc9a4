package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Developer probe (not a test): a whole network's training step and inference, batch normalisation on the direct
 * oneDNN path and on DL4J's ({@value PyTorchBatchNormalizationLayer#PROPERTY}), alternating in blocks of steps in one
 * process so that both see the same machine load; prints the median and best img/s of each.
 * <pre>java -cp ... io.github.dl4jclassics.zoo.layers.BatchNormNetworkProbe resnet18:3x64x64:6 [batch] [steps]</pre>
 */
public final class BatchNormNetworkProbe {

    public static void main(String[] args) {
        FastPath.enable();
        FastPath.setThreads(Integer.getInteger("probe.threads", 2));
        String[] p = args[0].split(":");
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        ClassicModel model = ModelRegistry.standard().get(p[0]);
        int classes = Integer.parseInt(p[2]);
        ModelSpec spec = new ModelSpec(classes, InputShape.parse(p[1]), 1);
        Object conf = model.configuration(spec).forBackend().dl4j();
        Model net;
        if (conf instanceof MultiLayerConfiguration c) {
            MultiLayerNetwork m = new MultiLayerNetwork(c);
            m.init();
            net = m;
        } else {
            ComputationGraph g = new ComputationGraph((ComputationGraphConfiguration) conf);
            g.init();
            net = g;
        }
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, spec.input().channels(), spec.input().height(), spec.input().width());
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % classes, 1);
        }
        DataSet data = new DataSet(x, y);
        // Blocks of steps per mode (2 untimed at the start of each: DL4J's workspaces resize when the path changes).
        int block = 4;
        int blocks = Math.max(1, steps / block);
        steps = blocks * block;
        double[][] train = new double[2][steps];
        double[][] infer = new double[2][steps];
        for (int b = 0; b < blocks; b++) {
            for (int mode = 0; mode < 2; mode++) {
                System.setProperty(PyTorchBatchNormalizationLayer.PROPERTY, mode == 0 ? "all" : "false");
                for (int s = -2; s < block; s++) {
                    long t0 = System.nanoTime();
                    if (net instanceof MultiLayerNetwork m) {
                        m.fit(data);
                    } else {
                        ((ComputationGraph) net).fit(data);
                    }
                    long t1 = System.nanoTime();
                    if (net instanceof MultiLayerNetwork m) {
                        m.output(x);
                    } else {
                        ((ComputationGraph) net).output(x);
                    }
                    long t2 = System.nanoTime();
                    if (s >= 0) {
                        train[mode][b * block + s] = batch / ((t1 - t0) / 1e9);
                        infer[mode][b * block + s] = batch / ((t2 - t1) / 1e9);
                    }
                }
            }
        }
        String[] names = {"direct oneDNN BN (training and inference)", "DL4J BN"};
        for (int mode = 0; mode < 2; mode++) {
            Arrays.sort(train[mode]);
            Arrays.sort(infer[mode]);
            System.out.printf(Locale.ROOT, "%s %s batch %d: train img/s median %.1f best %.1f; inference median %.1f best %.1f%n",
                    args[0], names[mode], batch, train[mode][steps / 2], train[mode][steps - 1], infer[mode][steps / 2],
                    infer[mode][steps - 1]);
        }
    }
}
