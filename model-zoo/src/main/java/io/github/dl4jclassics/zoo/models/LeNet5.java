package io.github.dl4jclassics.zoo.models;

import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.InputShape;
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

/** LeNet-5 as the 004 note writes it: two conv + average-pool stages, then three dense layers. */
public final class LeNet5 implements ClassicModel {

    @Override
    public String id() {
        return "lenet5";
    }

    @Override
    public String description() {
        return "LeNet-5: conv 6@5x5 ReLU, avg-pool 2; conv 16@5x5 ReLU, avg-pool 2; dense 120 ReLU, 84 ReLU, classes."
                + " ReLU and average pooling as in the note's PyTorch code (the 1998 paper used scaled tanh and"
                + " trainable subsampling). Any input of at least 12x12 works; 1x28x28 gives a 256-wide flatten.";
    }

    @Override
    public String source() {
        return "seed 004 (LeNet-5 in PyTorch); LeCun et al. 1998";
    }

    @Override
    public InputShape defaultInput() {
        return new InputShape(3, 32, 32);
    }

    @Override
    public int defaultClasses() {
        return 10;
    }

    @Override
    public MultiLayerConfiguration configuration(ModelSpec spec) {
        InputShape in = spec.input();
        return NetworkDefaults.builder(spec)
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
                .build();
    }
}
