package io.github.dl4jclassics.zoo.weights;

import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A PyTorch state_dict exported as NumPy {@code .npz} ({@code np.savez(path, **{k: v.numpy() ...})}, see
 * {@code model-zoo/scripts/export_pytorch_weights.py}), and its loading into a DL4J network.
 *
 * <p>Mapping: for models whose DL4J layer names are PyTorch module paths ({@link ClassicModel#torchModuleNames()}:
 * alexnet, vgg*, resnet*) a key is {@code layerName + ".weight" / ".bias" / ".running_mean" / ".running_var"};
 * for the notes' own models the tensors are matched in registration order (the file's order). Either way every
 * tensor's shape is checked, dense weights are transposed (PyTorch [out, in], DL4J [in, out]; both flatten NCHW
 * activations in C order, so no permutation of the input features is needed), and batch-norm running statistics
 * are carried. {@code num_batches_tracked} is ignored. A missing, extra or mis-shaped tensor is an error naming the
 * key with expected and found shapes.
 */
public final class NpzWeights {

    /** How file tensors are matched with network parameters. */
    public enum Mapping { BY_NAME, BY_ORDER }

    /** One DL4J parameter and the PyTorch tensor it takes. */
    public record Target(String layer, String param, String torchKey, long[] torchShape, boolean transpose) {
    }

    private final Path source;
    private final Map<String, INDArray> arrays;

    private NpzWeights(Path source, Map<String, INDArray> arrays) {
        this.source = source;
        this.arrays = Collections.unmodifiableMap(arrays);
    }

    /** Reads every array of the archive, in file order. */
    public static NpzWeights read(Path npz) throws IOException {
        if (!Files.isRegularFile(npz)) {
            throw new IOException("weights file not found: " + npz);
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String key = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                try (InputStream in = zip.getInputStream(e)) {
                    arrays.put(key, NpyArrays.read(in, npz + ":" + e.getName()));
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(npz + " is not a .npz archive: " + e.getMessage(), e);
        }
        return new NpzWeights(npz, arrays);
    }

    public Map<String, INDArray> arrays() {
        return arrays;
    }

    /** The state_dict tensors that are loaded (everything but {@code num_batches_tracked}), in file order. */
    public List<String> tensorKeys() {
        return arrays.keySet().stream().filter(k -> !k.endsWith("num_batches_tracked")).toList();
    }

    /** Number of classes: rows of the last 2-D tensor (the classifier's weight [classes, features]). */
    public int numClasses() {
        List<String> keys = tensorKeys();
        for (int i = keys.size() - 1; i >= 0; i--) {
            INDArray a = arrays.get(keys.get(i));
            if (a.rank() == 2) {
                return (int) a.size(0);
            }
        }
        throw new IllegalArgumentException(source + " has no 2-D (dense weight) tensor to take the number of classes from");
    }

    /** Loads into {@code network} with the model's own mapping. */
    public void loadInto(ClassicModel model, ClassifierNetwork network) {
        loadInto(network, model.torchModuleNames() ? Mapping.BY_NAME : Mapping.BY_ORDER, model.id());
    }

    public void loadInto(ClassifierNetwork network, Mapping mapping, String modelName) {
        List<Layer> layers = parameterLayers(network);
        List<Target> targets = targets(layers);
        Map<Target, INDArray> assignment = mapping == Mapping.BY_NAME ? byName(targets, modelName) : byOrder(targets, modelName);
        Map<String, Layer> byLayer = new LinkedHashMap<>();
        for (Layer l : layers) {
            byLayer.put(l.conf().getLayer().getLayerName(), l);
        }
        for (Map.Entry<Target, INDArray> e : assignment.entrySet()) {
            Target t = e.getKey();
            INDArray value = t.transpose() ? e.getValue().transpose() : e.getValue();
            INDArray param = byLayer.get(t.layer()).getParam(t.param());
            param.assign(value.reshape(param.shape()));
        }
    }

    private Map<Target, INDArray> byName(List<Target> targets, String modelName) {
        Map<Target, INDArray> result = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> unused = new LinkedHashSet<>(tensorKeys());
        for (Target t : targets) {
            INDArray found = arrays.get(t.torchKey());
            unused.remove(t.torchKey());
            if (found == null) {
                problems.add("missing key '" + t.torchKey() + "' (expected shape " + Arrays.toString(t.torchShape())
                        + ", DL4J " + t.layer() + "/" + t.param() + ")");
            } else if (!Arrays.equals(found.shape(), t.torchShape())) {
                problems.add("key '" + t.torchKey() + "': expected shape " + Arrays.toString(t.torchShape())
                        + ", found " + Arrays.toString(found.shape()));
            } else {
                result.put(t, found);
            }
        }
        for (String key : unused) {
            problems.add("extra key '" + key + "' (shape " + Arrays.toString(arrays.get(key).shape())
                    + ") matches no layer of the model");
        }
        fail(problems, modelName, "by name");
        return result;
    }

    private Map<Target, INDArray> byOrder(List<Target> targets, String modelName) {
        Map<Target, INDArray> result = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> keys = tensorKeys();
        int n = Math.max(keys.size(), targets.size());
        for (int i = 0; i < n; i++) {
            Target t = i < targets.size() ? targets.get(i) : null;
            String key = i < keys.size() ? keys.get(i) : null;
            if (t == null) {
                problems.add("extra key '" + key + "' (tensor #" + i + ", shape "
                        + Arrays.toString(arrays.get(key).shape()) + "): the model has only " + targets.size() + " tensors");
            } else if (key == null) {
                problems.add("missing tensor #" + i + " for DL4J " + t.layer() + "/" + t.param() + " (PyTorch "
                        + t.torchKey().substring(t.torchKey().lastIndexOf('.') + 1) + ", expected shape "
                        + Arrays.toString(t.torchShape()) + "): the file has only " + keys.size() + " tensors");
            } else if (!Arrays.equals(arrays.get(key).shape(), t.torchShape())) {
                problems.add("key '" + key + "' (tensor #" + i + ", for DL4J " + t.layer() + "/" + t.param()
                        + "): expected shape " + Arrays.toString(t.torchShape()) + ", found "
                        + Arrays.toString(arrays.get(key).shape()));
            } else {
                result.put(t, arrays.get(key));
            }
        }
        fail(problems, modelName, "in registration order");
        return result;
    }

    private void fail(List<String> problems, String modelName, String how) {
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 10);
            throw new IllegalArgumentException("weights " + source + " do not fit model '" + modelName + "' (matched "
                    + how + "): " + String.join("; ", problems.subList(0, shown))
                    + (problems.size() > shown ? "; and " + (problems.size() - shown) + " more" : ""));
        }
    }

    /**
     * Writes a network's parameters as a PyTorch-layout .npz (the inverse of loading): keys
     * {@code layerName.weight/.bias/.running_mean/.running_var}, dense weights as [out, in], in forward order.
     */
    public static void write(ClassifierNetwork network, Path npz) throws IOException {
        List<Layer> layers = parameterLayers(network);
        Map<String, Layer> byLayer = new LinkedHashMap<>();
        for (Layer l : layers) {
            byLayer.put(l.conf().getLayer().getLayerName(), l);
        }
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(npz))) {
            zip.setLevel(java.util.zip.Deflater.NO_COMPRESSION); // like np.savez: weights barely compress
            for (Target t : targets(layers)) {
                INDArray p = byLayer.get(t.layer()).getParam(t.param());
                INDArray torch = (t.transpose() ? p.transpose() : p).reshape(t.torchShape());
                zip.putNextEntry(new ZipEntry(t.torchKey() + ".npy"));
                NpyArrays.write(zip, torch);
                zip.closeEntry();
            }
        }
    }

    /** Layers with parameters, in forward order (MultiLayerNetwork order; graph topological order). */
    static List<Layer> parameterLayers(ClassifierNetwork network) {
        List<Layer> layers = new ArrayList<>();
        if (network.isGraph()) {
            GraphVertex[] vertices = network.graph().getVertices();
            for (int idx : network.graph().topologicalSortOrder()) {
                if (vertices[idx].hasLayer() && vertices[idx].getLayer().numParams() > 0) {
                    layers.add(vertices[idx].getLayer());
                }
            }
        } else {
            for (Layer l : network.multiLayer().getLayers()) {
                if (l.numParams() > 0) {
                    layers.add(l);
                }
            }
        }
        return layers;
    }

    /** What each DL4J parameter expects from PyTorch, in PyTorch's per-module order (weight, bias, running stats). */
    static List<Target> targets(List<Layer> layers) {
        List<Target> targets = new ArrayList<>();
        for (Layer l : layers) {
            org.deeplearning4j.nn.conf.layers.Layer conf = l.conf().getLayer();
            String name = conf.getLayerName();
            Map<String, INDArray> params = l.paramTable();
            if (conf instanceof ConvolutionLayer) {
                targets.add(new Target(name, "W", name + ".weight", params.get("W").shape(), false));
                if (params.containsKey("b")) {
                    targets.add(new Target(name, "b", name + ".bias", new long[] {params.get("b").length()}, false));
                }
            } else if (conf instanceof DenseLayer || conf instanceof BaseOutputLayer) {
                long[] w = params.get("W").shape();
                targets.add(new Target(name, "W", name + ".weight", new long[] {w[1], w[0]}, true));
                if (params.containsKey("b")) {
                    targets.add(new Target(name, "b", name + ".bias", new long[] {params.get("b").length()}, false));
                }
            } else if (conf instanceof BatchNormalization bn) {
                if (bn.isUseLogStd()) {
                    throw new IllegalArgumentException("layer " + name + ": batch norm stores log10(stdev); PyTorch"
                            + " running_var needs useLogStd(false)");
                }
                long c = params.get("mean").length();
                targets.add(new Target(name, "gamma", name + ".weight", new long[] {c}, false));
                targets.add(new Target(name, "beta", name + ".bias", new long[] {c}, false));
                targets.add(new Target(name, "mean", name + ".running_mean", new long[] {c}, false));
                targets.add(new Target(name, "var", name + ".running_var", new long[] {c}, false));
            } else {
                throw new IllegalArgumentException("layer " + name + " (" + conf.getClass().getSimpleName()
                        + ") has parameters but no PyTorch mapping");
            }
        }
        return targets;
    }
}
