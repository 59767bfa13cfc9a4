package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.zoo.weights.Predictor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code predict}: logits of a zoo model with PyTorch-exported weights on an NCHW float32 .npy array. */
@Command(name = "predict", description = "Run a model with .npz weights on an .npy batch and write the logits as .npy.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model id (see `list --models`).")
    String model;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "PyTorch state_dict exported as .npz.")
    Path weights;

    @Option(names = "--input", required = true, paramLabel = "x.npy", description = "NCHW float32 input batch.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "y.npy", description = "Where to write the logits.")
    Path output;

    @Override
    public Integer call() throws Exception {
        INDArray logits = Predictor.predict(model, weights, input, output);
        System.out.println("wrote logits " + Arrays.toString(logits.shape()) + " to " + output);
        return 0;
    }
}
