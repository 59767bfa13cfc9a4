package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.zoo.layers.NativeLayers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's DL4J configuration: a chain of layers ({@link Sequential}, a {@link MultiLayerConfiguration}) or a
 * graph ({@link Graph}, a {@link ComputationGraphConfiguration}: ResNet's shortcuts). The zoo, the training set-up
 * and the savers pass this type around; what differs between DL4J's two kinds is answered here, once.
 */
public sealed interface NetworkConfiguration permits NetworkConfiguration.Sequential, NetworkConfiguration.Graph {

    /** A {@link MultiLayerConfiguration}. */
    record Sequential(MultiLayerConfiguration dl4j) implements NetworkConfiguration {

        @Override
        public Sequential copy() {
            return new Sequential(dl4j.clone());
        }

        @Override
        public Map<String, NeuralNetConfiguration> layerConfigurations() {
            Map<String, NeuralNetConfiguration> layers = new LinkedHashMap<>();
            for (int i = 0; i < dl4j.getConfs().size(); i++) {
                layers.put(String.valueOf(i), dl4j.getConf(i));
            }
            return layers;
        }

        /** The layers' own names; an unnamed layer by its index. */
        @Override
        public List<String> layerNames() {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < dl4j.getConfs().size(); i++) {
                String name = dl4j.getConf(i).getLayer().getLayerName();
                names.add(name != null ? name : String.valueOf(i));
            }
            return names;
        }

        @Override
        public String outputLayerName() {
            List<String> names = layerNames();
            return names.get(names.size() - 1);
        }

        @Override
        public long seed() {
            return dl4j.getConfs().isEmpty() ? 0 : dl4j.getConf(0).getSeed();
        }

        @Override
        public ClassifierNetwork initialise(INDArray parameters) {
            MultiLayerNetwork network = new MultiLayerNetwork(dl4j);
            if (parameters == null) {
                network.init();
            } else {
                network.init(parameters, false);
            }
            return ClassifierNetwork.of(network);
        }

        @Override
        public String toJson() {
            return dl4j.toJson();
        }
    }

    /** A {@link ComputationGraphConfiguration} with one input and one output. */
    record Graph(ComputationGraphConfiguration dl4j) implements NetworkConfiguration {

        @Override
        public Graph copy() {
            return new Graph(cloneWithCounts(dl4j));
        }

        /**
         * {@code conf.clone()} with its iteration and epoch counts, which DL4J 1.0.0-M2.1's clone resets to 0 for a
         * graph (Adam's bias correction and the schedules of a resumed run depend on them).
         */
        private static ComputationGraphConfiguration cloneWithCounts(ComputationGraphConfiguration conf) {
            ComputationGraphConfiguration copy = conf.clone();
            copy.setIterationCount(conf.getIterationCount());
            copy.setEpochCount(conf.getEpochCount());
            return copy;
        }

        @Override
        public Map<String, NeuralNetConfiguration> layerConfigurations() {
            // In the order the vertices were added (a LinkedHashMap), which is fixed for a configuration.
            Map<String, NeuralNetConfiguration> layers = new LinkedHashMap<>();
            for (Map.Entry<String, GraphVertex> vertex : dl4j.getVertices().entrySet()) {
                if (vertex.getValue() instanceof LayerVertex layerVertex) {
                    layers.put(vertex.getKey(), layerVertex.getLayerConf());
                }
            }
            return layers;
        }

        /** The names of the vertices that are layers. */
        @Override
        public List<String> layerNames() {
            return new ArrayList<>(layerConfigurations().keySet());
        }

        @Override
        public String outputLayerName() {
            List<String> outputs = dl4j.getNetworkOutputs();
            if (outputs.size() != 1 || !(dl4j.getVertices().get(outputs.get(0)) instanceof LayerVertex)) {
                throw new IllegalArgumentException("a classifier graph has one output layer, this one has outputs " + outputs);
            }
            return outputs.get(0);
        }

        @Override
        public long seed() {
            return dl4j.getDefaultConfiguration().getSeed();
        }

        @Override
        public ClassifierNetwork initialise(INDArray parameters) {
            ComputationGraph network = new ComputationGraph(dl4j);
            if (parameters == null) {
                network.init();
            } else {
                network.init(parameters, false);
            }
            return ClassifierNetwork.of(network);
        }

        @Override
        public String toJson() {
            return dl4j.toJson();
        }
    }

    static Sequential of(MultiLayerConfiguration configuration) {
        return new Sequential(configuration);
    }

    static Graph of(ComputationGraphConfiguration configuration) {
        return new Graph(configuration);
    }

    /** The DL4J object: a {@link MultiLayerConfiguration} or a {@link ComputationGraphConfiguration}. */
    Object dl4j();

    /** A deep copy, safe to change without touching this one. */
    NetworkConfiguration copy();

    /**
     * The layers' configurations by parameter key prefix (the index in a chain, the vertex name in a graph), in
     * network order; changing one (e.g. {@code setLayer}) changes this configuration.
     */
    Map<String, NeuralNetConfiguration> layerConfigurations();

    /** The layers by parameter key prefix, in network order ({@link #layerConfigurations()}' layers). */
    default Map<String, Layer> layers() {
        Map<String, Layer> layers = new LinkedHashMap<>();
        layerConfigurations().forEach((key, conf) -> layers.put(key, conf.getLayer()));
        return layers;
    }

    /**
     * The names a manifest gives layers by (e.g. {@code transfer.headLayer}), in the order of {@link #layers()}: a
     * chain's layer names, a graph's vertex names.
     */
    List<String> layerNames();

    /** The name (as in {@link #layerNames()}) of the layer whose outputs are the class scores. */
    String outputLayerName();

    /** The layer named {@code name} (as in {@link #layerNames()}), or null. */
    default Layer layer(String name) {
        int index = layerNames().indexOf(name);
        return index < 0 ? null : new ArrayList<>(layers().values()).get(index);
    }

    /** The layer whose outputs are the class scores. */
    default Layer outputLayer() {
        return layer(outputLayerName());
    }

    /** DL4J's JSON form, as {@code ModelSerializer} saves it ({@code configuration.json}). */
    String toJson();

    /** The builder's {@code seed(...)}. */
    long seed();

    /**
     * A network of exactly this configuration (not a copy): with {@code parameters} (used as its parameter view,
     * not copied), or randomly initialised when null.
     */
    ClassifierNetwork initialise(INDArray parameters);

    /**
     * A copy of this configuration for the current ND4J backend: {@link #withNativeLayers} on the CPU,
     * {@link #withStockLayers} (DL4J's own layers, which use cuDNN) on any other backend; batch normalisation with
     * PyTorch's training semantics on every backend ({@link NativeLayers#usePyTorchBatchNormalization}).
     */
    default NetworkConfiguration forBackend() {
        NetworkConfiguration copy = NativeLayers.onThisBackend() ? withNativeLayers() : withStockLayers();
        NativeLayers.usePyTorchBatchNormalization(copy.layerConfigurations().values());
        return copy;
    }

    /** A copy with the project's faster layers in place of DL4J's ({@link NativeLayers#useNative}). */
    default NetworkConfiguration withNativeLayers() {
        NetworkConfiguration copy = copy();
        NativeLayers.useNative(copy.layerConfigurations().values(),
                copy instanceof Sequential chain ? chain.dl4j() : null);
        if (copy instanceof Graph graph) {
            NativeLayers.skipInputGradients(graph.dl4j());
        }
        return copy;
    }

    /** A copy with DL4J's own layers in place of the native ones ({@link NativeLayers#useStock}), as saved. */
    default NetworkConfiguration withStockLayers() {
        NetworkConfiguration copy = copy();
        NativeLayers.useStock(copy.layerConfigurations().values());
        return copy;
    }
}
