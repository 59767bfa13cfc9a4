package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.common.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A torchsummary-like table of a model for one input, computed from the configuration alone (no weights are
 * allocated, so it is cheap even for VGG): every layer's name, type, output shape (per image, CxHxW or N) and
 * parameter count; totals; multiply-accumulates per image (convolutions and dense layers, as PyTorch profilers
 * count them); activation memory per image (float32 outputs of every layer, forward pass only).
 *
 * <p>{@link #numParams()} is DL4J's count, which includes batch-norm running mean and variance (2 per channel);
 * {@link #trainableParams()} excludes them and equals PyTorch's {@code sum(p.numel() for p in model.parameters())}.
 */
public final class ModelSummary {

    /** One layer or vertex. {@code outputShape} is per image: [C, H, W] or [N]. */
    public record Row(String name, String type, long[] outputShape, long params, long trainableParams, long macs) {
    }

    private final String model;
    private final InputShape input;
    private final int numClasses;
    private final List<Row> rows;

    private ModelSummary(String model, InputShape input, int numClasses, List<Row> rows) {
        this.model = model;
        this.input = input;
        this.numClasses = numClasses;
        this.rows = List.copyOf(rows);
    }

    /** Builds the model's configuration for {@code spec} (failing clearly for a too-small input) and summarises it. */
    public static ModelSummary of(ClassicModel model, ModelSpec spec) {
        NetworkConfiguration conf = model.configuration(spec);
        List<Row> rows = new ArrayList<>();
        for (LayerShapes.Step step : LayerShapes.walk(conf, spec.input())) {
            rows.add(step.layer() != null ? row(step.name(), step.layer(), step.output())
                    : new Row(step.name(), step.vertex().getClass().getSimpleName(), shape(step.output()), 0, 0, 0));
        }
        InputShape in = spec.input();
        return new ModelSummary(model.id(), in, spec.numClasses(), rows);
    }

    private static Row row(String name, NeuralNetConfiguration layerConf, InputType out) {
        Layer layer = layerConf.getLayer();
        long params = layer.initializer().numParams(layerConf);
        long trainable = params;
        long macs = 0;
        long[] shape = shape(out);
        if (layer instanceof BatchNormalization) {
            trainable = params / 2; // gamma, beta trainable; mean, var are running statistics
        }
        if (layer instanceof ConvolutionLayer c) {
            long[] k = c.getKernelSize() == null ? new long[] {1, 1} : new long[] {c.getKernelSize()[0], c.getKernelSize()[1]};
            macs = product(shape) * c.getNIn() * k[0] * k[1];
        } else if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer) {
            FeedForwardLayer f = (FeedForwardLayer) layer;
            macs = f.getNIn() * f.getNOut();
        }
        return new Row(name, layer.getClass().getSimpleName(), shape, params, trainable, macs);
    }

    private static long[] shape(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return new long[] {c.getChannels(), c.getHeight(), c.getWidth()};
        }
        if (type instanceof InputType.InputTypeFeedForward f) {
            return new long[] {f.getSize()};
        }
        return new long[] {type.arrayElementsPerExample()};
    }

    private static long product(long[] shape) {
        long p = 1;
        for (long s : shape) {
            p *= s;
        }
        return p;
    }

    public String model() {
        return model;
    }

    public InputShape input() {
        return input;
    }

    public int numClasses() {
        return numClasses;
    }

    public List<Row> layers() {
        return rows;
    }

    /** DL4J's parameter count, including batch-norm running statistics. */
    public long numParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    /** Trainable parameters: weights and biases, as PyTorch's {@code model.parameters()} counts them. */
    public long trainableParams() {
        return rows.stream().mapToLong(Row::trainableParams).sum();
    }

    /** Batch-norm running mean and variance values (DL4J stores them as parameters, PyTorch as buffers). */
    public long bnRunningStats() {
        return numParams() - trainableParams();
    }

    /** Multiply-accumulates per image in convolutions and dense layers. */
    public long macs() {
        return rows.stream().mapToLong(Row::macs).sum();
    }

    /** Weights of the largest dense (fully connected) layer: its multiply-accumulates per image; 0 without one. */
    public long largestDenseWeights() {
        return rows.stream().filter(r -> r.outputShape().length == 1).mapToLong(Row::macs).max().orElse(0);
    }

    /** Bytes of float32 layer outputs per image in a forward pass (torchsummary's "forward pass size"). */
    public long activationBytes() {
        return rows.stream().mapToLong(r -> product(r.outputShape())).sum() * Float.BYTES;
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        int nameWidth = Math.max(24, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0) + 2);
        String line = "-".repeat(nameWidth + 26 + 20 + 16) + "\n";
        sb.append("Model: ").append(model).append("   input: ").append(input).append("   classes: ")
                .append(numClasses).append('\n').append(line);
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s%-26s%-20s%16s%n", "Layer", "Type", "Output shape", "Param #"));
        sb.append(line.replace('-', '='));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s%-26s%-20s%16s%n", r.name(), r.type(),
                    shapeText(r.outputShape()), String.format(Locale.ROOT, "%,d", r.params())));
        }
        sb.append(line.replace('-', '='));
        sb.append(String.format(Locale.ROOT, "Total params (DL4J, incl. BN running stats): %,d%n", numParams()));
        sb.append(String.format(Locale.ROOT, "Trainable params (= PyTorch count): %,d%n", trainableParams()));
        sb.append(String.format(Locale.ROOT, "BN running mean/var: %,d%n", bnRunningStats()));
        sb.append(String.format(Locale.ROOT, "Multiply-accumulates per image: %,d (%.2f G)%n", macs(), macs() / 1e9));
        sb.append(String.format(Locale.ROOT, "Activations per image (forward, float32): %.2f MB%n",
                activationBytes() / (1024.0 * 1024.0)));
        sb.append(String.format(Locale.ROOT, "Params size (float32): %.2f MB%n", numParams() * 4 / (1024.0 * 1024.0)));
        sb.append(line);
        return sb.toString();
    }

    /**
     * {"model", "input", "numClasses", "numParams" (DL4J count, incl. BN running stats), "trainableParams",
     * "bnRunningStats", "macs", "activationBytes", "layers": [{"name", "type", "outputShape", "params"}]}.
     */
    public String toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("model", model);
        root.put("input", input.toString());
        root.put("numClasses", numClasses);
        root.put("numParams", numParams());
        root.put("trainableParams", trainableParams());
        root.put("bnRunningStats", bnRunningStats());
        root.put("macs", macs());
        root.put("activationBytes", activationBytes());
        ArrayNode layers = root.putArray("layers");
        for (Row r : rows) {
            ObjectNode n = layers.addObject();
            n.put("name", r.name());
            n.put("type", r.type());
            ArrayNode s = n.putArray("outputShape");
            for (long d : r.outputShape()) {
                s.add(d);
            }
            n.put("params", r.params());
        }
        return Json.write(root);
    }

    private static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("[-1");
        for (long d : shape) {
            sb.append(", ").append(d);
        }
        return sb.append(']').toString();
    }

    @Override
    public String toString() {
        return toText();
    }
}
