package io.github.dl4jclassics.zoo.models;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import static io.github.dl4jclassics.zoo.models.Layers.batchNorm;
import static io.github.dl4jclassics.zoo.models.Layers.conv;
import static io.github.dl4jclassics.zoo.models.Layers.dense;
import static io.github.dl4jclassics.zoo.models.Layers.maxPool;
import static io.github.dl4jclassics.zoo.models.Layers.output;
import static io.github.dl4jclassics.zoo.models.Layers.paperLrn;

import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.NetworkDefaults;
import io.github.dl4jclassics.zoo.WeightInitChoice;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.activations.Activation;

/**
 * VGG from its configuration table, as torchvision's {@code cfgs} + {@code make_layers}: a number is a 3x3 conv
 * (s1, p1) with that many channels, "1x1:N" a 1x1 conv (configuration C), "M" a 2x2 max pool, "L" the A-LRN
 * configuration's local response normalisation. Layer names are torchvision's module paths (features.N,
 * classifier.N) for the paper's configurations, so torchvision state_dicts load by name.
 */
public final class Vgg extends BaseClassicModel {

    /** The VGG paper's Table 1, and the 001 note's CIFAR-10 "VGGNet". */
    public enum Config {
        A(List.of("64", "M", "128", "M", "256", "256", "M", "512", "512", "M", "512", "512", "M")),
        A_LRN(List.of("64", "L", "M", "128", "M", "256", "256", "M", "512", "512", "M", "512", "512", "M")),
        B(List.of("64", "64", "M", "128", "128", "M", "256", "256", "M", "512", "512", "M", "512", "512", "M")),
        C(List.of("64", "64", "M", "128", "128", "M", "256", "256", "1x1:256", "M", "512", "512", "1x1:512", "M",
                "512", "512", "1x1:512", "M")),
        D(List.of("64", "64", "M", "128", "128", "M", "256", "256", "256", "M", "512", "512", "512", "M",
                "512", "512", "512", "M")),
        E(List.of("64", "64", "M", "128", "128", "M", "256", "256", "256", "256", "M", "512", "512", "512", "512", "M",
                "512", "512", "512", "512", "M")),
        /** 001 note: five blocks of two 3x3 convs. */
        NOTE_CIFAR10(List.of("64", "64", "M", "128", "128", "M", "256", "256", "M", "512", "512", "M", "512", "512", "M"));

        private final List<String> layers;

        Config(List<String> layers) {
            this.layers = layers;
        }

        public List<String> layers() {
            return layers;
        }
    }

    private final Config config;
    private final boolean batchNorm;

    private Vgg(String id, String description, String source, InputShape input, int classes, Config config,
            boolean batchNorm) {
        super(id, description, source, input, classes);
        this.config = config;
        this.batchNorm = batchNorm;
    }

    /** The paper's configuration, optionally with batch norm after every conv (torchvision's vggNN_bn). */
    public static Vgg paper(String id, Config config, boolean batchNorm) {
        if (config == Config.NOTE_CIFAR10) {
            throw new IllegalArgumentException("use Vgg.noteCifar10() for " + config);
        }
        String text = "VGG configuration " + config.name().replace('_', '-') + " of Simonyan & Zisserman (Table 1): "
                + String.join(",", config.layers()) + " (3x3 convs s1 p1 with ReLU, 'M' max-pool 2/2"
                + (config == Config.C ? ", '1x1:N' 1x1 convs" : "")
                + (config == Config.A_LRN ? ", 'L' LRN with the paper's (Krizhevsky's) parameters n 5, alpha 1e-4"
                        + " undivided, beta 0.75, k 2 = PyTorch LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2)" : "")
                + (batchNorm ? "; batch norm (eps 1e-5, momentum 0.1) between each conv and its ReLU, as torchvision's"
                        + " *_bn models" : "")
                + "); dense 4096 ReLU, dropout 0.5, dense 4096 ReLU, dropout 0.5, dense classes (torchvision order)."
                + " torchvision's AdaptiveAvgPool2d(7) is the identity at 224x224 and is omitted: other inputs change"
                + " the flatten width (512*(H/32)*(W/32)) instead of being pooled to 7x7. Paper initialisation:"
                + " N(0, 0.01) weights, zero biases.";
        return new Vgg(id, text, "Simonyan & Zisserman 2015 (VGG), seed 001; torchvision vgg.py layout",
                new InputShape(3, 224, 224), 1000, config, batchNorm);
    }

    /** The 001 note's VGGNet for CIFAR-10 at 128x128. */
    public static Vgg noteCifar10() {
        return new Vgg("vggnet-cifar10-128",
                "The 001 note's 'VGGNet' for CIFAR-10 resized to 128x128: five blocks of two 3x3 convs (64, 128, 256,"
                        + " 512, 512; ReLU) each followed by max-pool 2; dropout, dense 4096 ReLU, dropout, dense 4096"
                        + " ReLU, dense classes. Flatten 512*4*4 at 128x128 (512 at 32x32). It is not one of the"
                        + " paper's configurations (D has three convs in blocks 3-5). No initialisation in the note:"
                        + " PyTorch's default.",
                "seed 001 (VGG on CIFAR-10)", new InputShape(3, 128, 128), 10, Config.NOTE_CIFAR10, false);
    }

    public Config config() {
        return config;
    }

    public boolean batchNorm() {
        return batchNorm;
    }

    @Override
    public boolean torchModuleNames() {
        return config != Config.NOTE_CIFAR10;
    }

    @Override
    protected NetworkConfiguration build(ModelSpec spec) {
        boolean paper = config != Config.NOTE_CIFAR10;
        NeuralNetConfiguration.Builder base = NetworkDefaults.builder(spec);
        if (paper && spec.init() == WeightInitChoice.PAPER) {
            base.weightInit(new NormalDistribution(0, 0.01));
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        // torchvision numbering: every module of the features Sequential (conv, bn, relu, pool, lrn) takes an index.
        int index = 0;
        int block = 1;
        int inBlock = 1;
        for (String item : config.layers()) {
            switch (item) {
                case "M" -> {
                    list.layer(maxPool(paper ? "features." + index : "pool" + block, 2, 2));
                    index++;
                    block++;
                    inBlock = 1;
                }
                case "L" -> {
                    list.layer(paperLrn("features." + index, 5, 1e-4, 0.75, 2));
                    index++;
                }
                default -> {
                    boolean oneByOne = item.startsWith("1x1:");
                    int channels = Integer.parseInt(oneByOne ? item.substring(4) : item);
                    String name = paper ? "features." + index : "conv" + block + "_" + inBlock;
                    if (batchNorm) {
                        list.layer(conv(name, channels, oneByOne ? 1 : 3, 1, oneByOne ? 0 : 1, Activation.IDENTITY));
                        list.layer(Layers.batchNorm("features." + (index + 1)));
                        list.layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                                .name("features." + (index + 2)).activation(Activation.RELU).build());
                        index += 3;
                    } else {
                        list.layer(conv(name, channels, oneByOne ? 1 : 3, 1, oneByOne ? 0 : 1, Activation.RELU));
                        index += 2;
                    }
                    inBlock++;
                }
            }
        }
        int classes = spec.numClasses();
        if (paper) {
            list.layer(dense("classifier.0", 4096, Activation.RELU, 1).build())
                    .layer(dense("classifier.3", 4096, Activation.RELU, 0.5).build())
                    .layer(output("classifier.6", classes, 0.5).build());
        } else {
            list.layer(dense("fc6", 4096, Activation.RELU, 0.5).build())
                    .layer(dense("fc7", 4096, Activation.RELU, 0.5).build())
                    .layer(output("fc8", classes, 1).build());
        }
        InputShape in = spec.input();
        return NetworkConfiguration.of(list.setInputType(InputType.convolutional(in.height(), in.width(), in.channels())).build());
    }

    /** Every VGG id: the paper's configurations, their batch-norm variants, and the note's CIFAR-10 network. */
    public static List<Vgg> all() {
        List<Vgg> models = new ArrayList<>();
        models.add(paper("vgg11", Config.A, false));
        models.add(paper("vgg11-lrn", Config.A_LRN, false));
        models.add(paper("vgg13", Config.B, false));
        models.add(paper("vgg16-c", Config.C, false));
        models.add(paper("vgg16", Config.D, false));
        models.add(paper("vgg19", Config.E, false));
        models.add(paper("vgg11-bn", Config.A, true));
        models.add(paper("vgg13-bn", Config.B, true));
        models.add(paper("vgg16-bn", Config.D, true));
        models.add(paper("vgg19-bn", Config.E, true));
        models.add(noteCifar10());
        return models;
    }
}
