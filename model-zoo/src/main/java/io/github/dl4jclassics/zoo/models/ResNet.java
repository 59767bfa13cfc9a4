package io.github.dl4jclassics.zoo.models;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import static io.github.dl4jclassics.zoo.models.Layers.batchNorm;
import static io.github.dl4jclassics.zoo.models.Layers.convBuilder;
import static io.github.dl4jclassics.zoo.models.Layers.maxPool;
import static io.github.dl4jclassics.zoo.models.Layers.output;

import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.KaimingNormalFanOut;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.NetworkDefaults;
import io.github.dl4jclassics.zoo.WeightInitChoice;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;

/**
 * ResNet (He et al. 2016) as torchvision builds it (v1.5: the stride of a bottleneck sits on its 3x3 conv), from
 * block type and block counts. Vertex names are torchvision's module paths ({@code layer2.0.conv1},
 * {@code layer2.0.downsample.0}, {@code fc}), so state_dict keys map by name; the residual sum is
 * {@code layerN.i.add} and the ReLU after it {@code layerN.i.relu}.
 */
public final class ResNet extends BaseClassicModel {

    public enum Block {
        BASIC(1), BOTTLENECK(4);

        private final int expansion;

        Block(int expansion) {
            this.expansion = expansion;
        }

        public int expansion() {
            return expansion;
        }
    }

    private static final String INPUT = "input";

    private final Block block;
    private final int[] counts;

    public ResNet(String id, Block block, int... counts) {
        super(id, "ResNet-" + depth(block, counts) + " (torchvision layout): conv 64@7 s2 p3, BN, ReLU, max-pool 3/2 p1;"
                        + " four stages of " + (block == Block.BASIC ? "basic blocks (two 3x3 convs)"
                                : "bottleneck blocks (1x1, 3x3 with the stride, 1x1 x4)")
                        + " " + Arrays.stream(counts).mapToObj(Integer::toString).collect(Collectors.joining("-"))
                        + " with 64/128/256/512 channels, 1x1 conv + BN projection shortcuts where the shape changes;"
                        + " global average pool; dense classes. Convs have no bias; batch norm eps 1e-5, momentum 0.1"
                        + " (DL4J decay 0.9). Global average pooling (torchvision's AdaptiveAvgPool2d(1)) makes any"
                        + " input size valid; the 003 note uses 3x64x64 with 6 classes. Paper initialisation is"
                        + " torchvision's: Kaiming normal (fan-out) convs, BN weight 1 bias 0, PyTorch default fc.",
                "He et al. 2016; seed 003 (ResNet18/50/101/152 on scenes); torchvision resnet.py",
                new InputShape(3, 224, 224), 1000);
        this.block = block;
        this.counts = counts.clone();
    }

    private static int depth(Block block, int[] counts) {
        return Arrays.stream(counts).sum() * (block == Block.BASIC ? 2 : 3) + 2;
    }

    public static List<ResNet> all() {
        return List.of(
                new ResNet("resnet18", Block.BASIC, 2, 2, 2, 2),
                new ResNet("resnet34", Block.BASIC, 3, 4, 6, 3),
                new ResNet("resnet50", Block.BOTTLENECK, 3, 4, 6, 3),
                new ResNet("resnet101", Block.BOTTLENECK, 3, 4, 23, 3),
                new ResNet("resnet152", Block.BOTTLENECK, 3, 8, 36, 3));
    }

    public Block block() {
        return block;
    }

    public int[] counts() {
        return counts.clone();
    }

    @Override
    public boolean torchModuleNames() {
        return true;
    }

    @Override
    protected NetworkConfiguration build(ModelSpec spec) {
        boolean paper = spec.init() == WeightInitChoice.PAPER;
        ComputationGraphConfiguration.GraphBuilder g = NetworkDefaults.builder(spec).graphBuilder().addInputs(INPUT);
        g.addLayer("conv1", conv(paper, 64, 7, 2, 3), INPUT);
        g.addLayer("bn1", batchNorm("bn1"), "conv1");
        g.addLayer("relu", relu("relu"), "bn1");
        g.addLayer("maxpool", maxPool("maxpool", 3, 2, 1), "relu");
        String previous = "maxpool";
        int inChannels = 64;
        for (int stage = 0; stage < counts.length; stage++) {
            int width = 64 << stage;
            for (int i = 0; i < counts[stage]; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                String prefix = "layer" + (stage + 1) + "." + i + ".";
                previous = block == Block.BASIC
                        ? basicBlock(g, prefix, previous, inChannels, width, stride, paper)
                        : bottleneck(g, prefix, previous, inChannels, width, stride, paper);
                inChannels = width * block.expansion();
            }
        }
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).name("avgpool").build(), previous);
        g.addLayer("fc", output("fc", spec.numClasses(), 1).build(), "avgpool");
        InputShape in = spec.input();
        return NetworkConfiguration.of(g.setOutputs("fc")
                .setInputTypes(InputType.convolutional(in.height(), in.width(), in.channels()))
                .build());
    }

    private String basicBlock(ComputationGraphConfiguration.GraphBuilder g, String p, String in, int inChannels,
            int width, int stride, boolean paper) {
        g.addLayer(p + "conv1", conv(paper, width, 3, stride, 1), in);
        g.addLayer(p + "bn1", batchNorm(p + "bn1"), p + "conv1");
        g.addLayer(p + "relu1", relu(p + "relu1"), p + "bn1");
        g.addLayer(p + "conv2", conv(paper, width, 3, 1, 1), p + "relu1");
        g.addLayer(p + "bn2", batchNorm(p + "bn2"), p + "conv2");
        return residual(g, p, in, p + "bn2", inChannels, width, stride, paper);
    }

    private String bottleneck(ComputationGraphConfiguration.GraphBuilder g, String p, String in, int inChannels,
            int width, int stride, boolean paper) {
        g.addLayer(p + "conv1", conv(paper, width, 1, 1, 0), in);
        g.addLayer(p + "bn1", batchNorm(p + "bn1"), p + "conv1");
        g.addLayer(p + "relu1", relu(p + "relu1"), p + "bn1");
        g.addLayer(p + "conv2", conv(paper, width, 3, stride, 1), p + "relu1");
        g.addLayer(p + "bn2", batchNorm(p + "bn2"), p + "conv2");
        g.addLayer(p + "relu2", relu(p + "relu2"), p + "bn2");
        g.addLayer(p + "conv3", conv(paper, width * 4, 1, 1, 0), p + "relu2");
        g.addLayer(p + "bn3", batchNorm(p + "bn3"), p + "conv3");
        return residual(g, p, in, p + "bn3", inChannels, width * 4, stride, paper);
    }

    /** Adds the shortcut (identity, or 1x1 conv + BN when the shape changes), the sum and the final ReLU. */
    private String residual(ComputationGraphConfiguration.GraphBuilder g, String p, String in, String branch,
            int inChannels, int outChannels, int stride, boolean paper) {
        String shortcut = in;
        if (stride != 1 || inChannels != outChannels) {
            g.addLayer(p + "downsample.0", conv(paper, outChannels, 1, stride, 0), in);
            g.addLayer(p + "downsample.1", batchNorm(p + "downsample.1"), p + "downsample.0");
            shortcut = p + "downsample.1";
        }
        g.addVertex(p + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), branch, shortcut);
        g.addLayer(p + "relu", relu(p + "relu"), p + "add");
        return p + "relu";
    }

    private static ConvolutionLayer conv(boolean paper, int nOut, int kernel, int stride, int padding) {
        ConvolutionLayer.Builder b = convBuilder(null, nOut, kernel, stride, padding, Activation.IDENTITY).hasBias(false);
        if (paper) {
            b.weightInit(new KaimingNormalFanOut());
        }
        return b.build();
    }

    private static ActivationLayer relu(String name) {
        return new ActivationLayer.Builder().name(name).activation(Activation.RELU).build();
    }
}
