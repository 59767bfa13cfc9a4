package io.github.dl4jclassics.zoo.models;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.NetworkDefaults;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * LeNet-5 as the 004 note writes it: two conv + average-pool stages, then three dense layers. The same network at
 * 3x64x64 with 6 classes is the 003 note's scene LeNet ({@code lenet-scene}).
 */
public final class LeNet5 extends BaseClassicModel {

    public LeNet5() {
        super("lenet5",
                "LeNet-5: conv 6@5x5 ReLU, avg-pool 2; conv 16@5x5 ReLU, avg-pool 2; dense 120 ReLU, 84 ReLU, classes."
                        + " ReLU and average pooling as in the note's PyTorch code (the 1998 paper used scaled tanh and"
                        + " trainable subsampling). Any input of at least 16x16 works; 1x28x28 gives a 256-wide flatten.",
                "seed 004 (LeNet-5 in PyTorch); LeCun et al. 1998", new InputShape(3, 32, 32), 10);
    }

    private LeNet5(String id, String description, String source, InputShape input, int classes) {
        super(id, description, source, input, classes);
    }

    /** The 003 note's LeNet on 64x64 scene images: fc1 takes 16*13*13 inputs, 6 classes. */
    public static LeNet5 scene() {
        return new LeNet5("lenet-scene",
                "LeNet-5 of the 004 note (conv 6@5 ReLU, avg-pool 2, conv 16@5 ReLU, avg-pool 2, dense 120, 84, classes)"
                        + " on 3x64x64 scene images: the flatten is 16*13*13 = 2704. The 003 note shows only its output"
                        + " sizes, not its code; the 004 code is followed (average pooling, ReLU).",
                "seed 003 (Scene classification, LeNet); seed 004 code", new InputShape(3, 64, 64), 6);
    }

    @Override
    protected NetworkConfiguration build(ModelSpec spec) {
        InputShape in = spec.input();
        return NetworkConfiguration.of(NetworkDefaults.builder(spec)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).name("pool1")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).name("pool2")
                        .kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(120).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nOut(84).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("fc3")
                        .nOut(spec.numClasses()).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(in.height(), in.width(), in.channels()))
                .build());
    }
}
