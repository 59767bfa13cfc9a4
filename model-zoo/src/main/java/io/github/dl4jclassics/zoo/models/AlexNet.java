package io.github.dl4jclassics.zoo.models;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import static io.github.dl4jclassics.zoo.models.Layers.conv;
import static io.github.dl4jclassics.zoo.models.Layers.convBuilder;
import static io.github.dl4jclassics.zoo.models.Layers.dense;
import static io.github.dl4jclassics.zoo.models.Layers.maxPool;
import static io.github.dl4jclassics.zoo.models.Layers.output;
import static io.github.dl4jclassics.zoo.models.Layers.torchLrn;

import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.NetworkDefaults;
import io.github.dl4jclassics.zoo.WeightInitChoice;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The AlexNet family of the notes: the ImageNet network (002/004/001), its 128x128 CIFAR-10 use (001), the two
 * CIFAR-100 variants (000) and the 64x64 scene variant (003). Every flatten size is inferred from the input.
 */
public final class AlexNet extends BaseClassicModel {

    private enum Variant { IMAGENET, TORCHVISION, CIFAR100_1, CIFAR100_2, SCENE }

    private final Variant variant;

    private AlexNet(String id, String description, String source, InputShape input, int classes, Variant variant) {
        super(id, description, source, input, classes);
        this.variant = variant;
    }

    public static AlexNet imagenet() {
        return new AlexNet("alexnet",
                "AlexNet (single-GPU form): conv 96@11 s4 ReLU LRN max-pool 3/2; conv 256@5 p2 ReLU LRN max-pool 3/2;"
                        + " conv 384@3 p1, 384@3 p1, 256@3 p1 (ReLU) max-pool 3/2; dropout, dense 4096 ReLU, dropout,"
                        + " dense 4096 ReLU, dense classes. LRN follows the notes' code, nn.LocalResponseNorm(5,"
                        + " alpha=1e-4, beta=0.75, k=2), whose alpha PyTorch divides by 5 (the paper's alpha is not"
                        + " divided). Layer names are the PyTorch module paths of this network written as"
                        + " features/classifier Sequentials (features.0 ... classifier.6). Paper initialisation:"
                        + " N(0, 0.01), biases 1 in conv2, conv4, conv5 and the hidden dense layers (the 002 note's"
                        + " weight_init() compares layer objects with classes and, as written, changes nothing)."
                        + " Any input of at least 67x67 works; 128x128 gives the 1,024-wide flatten of alexnet-cifar10-128.",
                "Krizhevsky et al. 2012; seeds 002, 004 (code), 001", new InputShape(3, 227, 227), 1000, Variant.IMAGENET);
    }

    /**
     * torchvision's {@code alexnet()} (the "one weird trick" form that note 004 fine-tunes), with the same module paths,
     * so torchvision's ImageNet {@code state_dict} loads through the {@code .npz} path.
     */
    public static AlexNet torchvision() {
        return new AlexNet("alexnet-torchvision",
                "torchvision's AlexNet (note 004 fine-tunes it from ImageNet weights): features = conv 64@11 s4 p2"
                        + " ReLU, max-pool 3/2, conv 192@5 p2 ReLU, max-pool 3/2, conv 384@3 p1 ReLU, conv 256@3 p1"
                        + " ReLU, conv 256@3 p1 ReLU, max-pool 3/2; adaptive average pool to 6x6; classifier ="
                        + " dropout, dense 9216->4096 ReLU, dropout, dense 4096 ReLU, dense classes (classifier.6, the"
                        + " layer note 004 replaces). No LRN. Layer names are torchvision's module paths. The adaptive"
                        + " pool is the identity when the features are 6x6 (inputs 223 to 254) and an exact k x k"
                        + " average pool when they are 6k x 6k; other sizes are refused. PyTorch default initialisation.",
                "torchvision.models.alexnet (Krizhevsky 2014, 'One weird trick'); seed 004", new InputShape(3, 224, 224),
                1000, Variant.TORCHVISION);
    }

    /** The side of torchvision AlexNet's feature map for an input side (before the adaptive pool). */
    static int torchvisionFeatureSide(int side) {
        int x = (side + 2 * 2 - 11) / 4 + 1; // conv 11 s4 p2
        x = (x - 3) / 2 + 1;                  // max-pool 3/2
        x = (x - 3) / 2 + 1;                  // conv 5 p2 keeps the size; max-pool 3/2
        return (x - 3) / 2 + 1;               // 3x3 p1 convs keep it; max-pool 3/2
    }

    @Override
    public int smallestSquareInput(int channels) {
        if (variant != Variant.TORCHVISION) {
            return super.smallestSquareInput(channels);
        }
        // Valid sides are not one interval (6x6 or 6k x 6k features): the smallest is the first with 6x6 features.
        for (int side = 1; side < 1024; side++) {
            if (torchvisionFeatureSide(side) == 6) {
                return side;
            }
        }
        throw new IllegalStateException("no input side gives 6x6 features");
    }

    public static AlexNet cifar10At128() {
        return new AlexNet("alexnet-cifar10-128",
                "The 001 note's AlexNet for CIFAR-10 resized to 128x128: the alexnet conv stack (same LRN as the note's"
                        + " code: alpha 1e-4 in PyTorch's convention, k 2) with fc6 taking 256*2*2 = 1024 inputs (the"
                        + " note's fix after 227x227 'did not train well'), 10 classes. The note sets no"
                        + " initialisation, so 'paper' means PyTorch's default.",
                "seed 001 (AlexNet on CIFAR-10)", new InputShape(3, 128, 128), 10, Variant.IMAGENET);
    }

    public static AlexNet cifar100First() {
        return new AlexNet("alexnet1-cifar100",
                "The 000 note's AlexNet1 for 32x32 CIFAR-100: AlexNet's channel counts without max pooling:"
                        + " conv 96@7 s3 p1, 256@4, 384@2, 384@2, 256@2 (tanh each; 10, 7, 6, 5, 4 pixels), dropout,"
                        + " dense 4096 tanh, dropout, dense 4096 tanh, dense classes. PyTorch default initialisation.",
                "seed 000 (CIFAR-100 AlexNet1)", new InputShape(3, 32, 32), 100, Variant.CIFAR100_1);
    }

    public static AlexNet cifar100Second() {
        return new AlexNet("alexnet2-cifar100",
                "The 000 note's AlexNet2: conv 32@4 s2 ReLU, max-pool 3/2, conv 128@5 p2 ReLU, max-pool 2/1,"
                        + " conv 196@3 p1, 196@3 p1, 128@3 p1 (ReLU each), dropout, dense 2048 ReLU, dropout, dense 2048"
                        + " ReLU, dense classes (100; 10 for the CIFAR-10 run). Flatten 128*6*6 at 32x32."
                        + " PyTorch default initialisation.",
                "seed 000 (CIFAR-100 AlexNet2)", new InputShape(3, 32, 32), 100, Variant.CIFAR100_2);
    }

    public static AlexNet scene() {
        return new AlexNet("alexnet-scene",
                "The 003 note's AlexNet for 64x64 scene images, as its code is written: conv 96@5 p2 ReLU"
                        + " LRN max-pool 3/2; conv 256@5 p2 ReLU LRN max-pool 3/2; conv 384@3 p1, 384@3 p1, 256@3 p1"
                        + " (ReLU) max-pool 3/2; dense 4096 ReLU, dropout; dense classes, dropout on the logits. LRN is"
                        + " nn.LocalResponseNorm(size=5) with PyTorch's defaults (alpha 1e-4 divided by 5, beta 0.75,"
                        + " k 1). The real spatial sizes are 64, 31, 15, 7 (the note's table says 64/31/15/7 for the"
                        + " inputs of conv1/conv2/conv3/fc1): flatten 256*7*7 = 12544. The final dropout is a"
                        + " DropoutLayer before a softmax loss layer, so training drops logits as the note does."
                        + " No second 4096 layer (the note's own question). PyTorch default initialisation.",
                "seed 003 (Scene classification, AlexNet)", new InputShape(3, 64, 64), 6, Variant.SCENE);
    }

    @Override
    public boolean torchModuleNames() {
        return variant == Variant.IMAGENET || variant == Variant.TORCHVISION;
    }

    @Override
    protected NetworkConfiguration build(ModelSpec spec) {
        NeuralNetConfiguration.Builder base = NetworkDefaults.builder(spec);
        boolean krizhevsky = variant == Variant.IMAGENET && id().equals("alexnet") && spec.init() == WeightInitChoice.PAPER;
        if (krizhevsky) {
            base.weightInit(new NormalDistribution(0, 0.01));
        }
        double one = krizhevsky ? 1.0 : 0.0;
        NeuralNetConfiguration.ListBuilder list = base.list();
        int classes = spec.numClasses();
        switch (variant) {
            case IMAGENET -> list
                    .layer(conv("features.0", 96, 11, 4, 0, Activation.RELU))
                    .layer(torchLrn("features.2", 5, 1e-4, 0.75, 2))
                    .layer(maxPool("features.3", 3, 2))
                    .layer(convBuilder("features.4", 256, 5, 1, 2, Activation.RELU).biasInit(one).build())
                    .layer(torchLrn("features.6", 5, 1e-4, 0.75, 2))
                    .layer(maxPool("features.7", 3, 2))
                    .layer(conv("features.8", 384, 3, 1, 1, Activation.RELU))
                    .layer(convBuilder("features.10", 384, 3, 1, 1, Activation.RELU).biasInit(one).build())
                    .layer(convBuilder("features.12", 256, 3, 1, 1, Activation.RELU).biasInit(one).build())
                    .layer(maxPool("features.14", 3, 2))
                    .layer(dense("classifier.1", 4096, Activation.RELU, 0.5).biasInit(one).build())
                    .layer(dense("classifier.4", 4096, Activation.RELU, 0.5).biasInit(one).build())
                    .layer(output("classifier.6", classes, 1).build());
            case TORCHVISION -> {
                list.layer(conv("features.0", 64, 11, 4, 2, Activation.RELU))
                        .layer(maxPool("features.2", 3, 2))
                        .layer(conv("features.3", 192, 5, 1, 2, Activation.RELU))
                        .layer(maxPool("features.5", 3, 2))
                        .layer(conv("features.6", 384, 3, 1, 1, Activation.RELU))
                        .layer(conv("features.8", 256, 3, 1, 1, Activation.RELU))
                        .layer(conv("features.10", 256, 3, 1, 1, Activation.RELU))
                        .layer(maxPool("features.12", 3, 2));
                int h = torchvisionFeatureSide(spec.input().height());
                int w = torchvisionFeatureSide(spec.input().width());
                if (h < 6 || w < 6 || h % 6 != 0 || w % 6 != 0) {
                    throw new IllegalArgumentException("model 'alexnet-torchvision' needs an input whose feature map is"
                            + " 6x6 or a multiple of it (AdaptiveAvgPool2d((6, 6)) is exact only then), e.g. 3x224x224;"
                            + " input " + spec.input() + " gives " + h + "x" + w);
                }
                if (h != 6 || w != 6) {
                    list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).name("avgpool")
                            .kernelSize(h / 6, w / 6).stride(h / 6, w / 6).build());
                }
                list.layer(dense("classifier.1", 4096, Activation.RELU, 0.5).build())
                        .layer(dense("classifier.4", 4096, Activation.RELU, 0.5).build())
                        .layer(output("classifier.6", classes, 1).build());
            }
            case CIFAR100_1 -> list
                    .layer(conv("conv1", 96, 7, 3, 1, Activation.TANH))
                    .layer(conv("conv2", 256, 4, 1, 0, Activation.TANH))
                    .layer(conv("conv3", 384, 2, 1, 0, Activation.TANH))
                    .layer(conv("conv4", 384, 2, 1, 0, Activation.TANH))
                    .layer(conv("conv5", 256, 2, 1, 0, Activation.TANH))
                    .layer(dense("fc1", 4096, Activation.TANH, 0.5).build())
                    .layer(dense("fc2", 4096, Activation.TANH, 0.5).build())
                    .layer(output("fc3", classes, 1).build());
            case CIFAR100_2 -> list
                    .layer(conv("conv1", 32, 4, 2, 0, Activation.RELU))
                    .layer(maxPool("pool1", 3, 2))
                    .layer(conv("conv2", 128, 5, 1, 2, Activation.RELU))
                    .layer(maxPool("pool2", 2, 1))
                    .layer(conv("conv3", 196, 3, 1, 1, Activation.RELU))
                    .layer(conv("conv4", 196, 3, 1, 1, Activation.RELU))
                    .layer(conv("conv5", 128, 3, 1, 1, Activation.RELU))
                    .layer(dense("fc1", 2048, Activation.RELU, 0.5).build())
                    .layer(dense("fc2", 2048, Activation.RELU, 0.5).build())
                    .layer(output("fc3", classes, 1).build());
            case SCENE -> list
                    .layer(conv("conv1", 96, 5, 1, 2, Activation.RELU))
                    .layer(torchLrn("LRN1", 5, 1e-4, 0.75, 1))
                    .layer(maxPool("pool1", 3, 2))
                    .layer(conv("conv2", 256, 5, 1, 2, Activation.RELU))
                    .layer(torchLrn("LRN2", 5, 1e-4, 0.75, 1))
                    .layer(maxPool("pool2", 3, 2))
                    .layer(conv("conv3", 384, 3, 1, 1, Activation.RELU))
                    .layer(conv("conv4", 384, 3, 1, 1, Activation.RELU))
                    .layer(conv("conv5", 256, 3, 1, 1, Activation.RELU))
                    .layer(maxPool("pool3", 3, 2))
                    .layer(dense("fc1", 4096, Activation.RELU, 1).build())
                    // Drop1 acts on fc1's output, i.e. fc2's input; Drop2 acts on fc2's output (the logits).
                    .layer(dense("fc2", classes, Activation.IDENTITY, 0.5).build())
                    .layer(new DropoutLayer.Builder(0.5).name("Drop2").build())
                    .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).name("softmax")
                            .activation(Activation.SOFTMAX).build());
            default -> throw new IllegalStateException(variant.name());
        }
        InputShape in = spec.input();
        return NetworkConfiguration.of(list.setInputType(InputType.convolutional(in.height(), in.width(), in.channels())).build());
    }
}
