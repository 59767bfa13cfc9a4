package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.InputShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every model id: exact parameter counts (PyTorch and DL4J), MACs, and clear errors for too-small inputs. */
class ModelCatalogTest {

    private static final ModelRegistry REGISTRY = ModelRegistry.standard();

    @Test
    void registryHoldsEverySeedModel() {
        assertThat(REGISTRY.ids()).contains("lenet5", "lenet-scene", "custom-lenet-scene", "alexnet", "alexnet-torchvision",
                "alexnet-cifar10-128", "alexnet1-cifar100", "alexnet2-cifar100", "alexnet-scene", "vgg11", "vgg11-lrn",
                "vgg13", "vgg16-c", "vgg16", "vgg19", "vgg11-bn", "vgg13-bn", "vgg16-bn", "vgg19-bn",
                "vggnet-cifar10-128", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152");
        assertThatThrownBy(() -> REGISTRY.get("vgg17")).hasMessageContaining("vgg17").hasMessageContaining("vgg16");
    }

    /** PyTorch counts from the issue; BN running stats from bench/pytorch-cpu.json. */
    @ParameterizedTest(name = "{0} {1}x{2}: {3} + {4}")
    @CsvSource({
            "lenet5, 32, 10, 62006, 0",
            "lenet-scene, 64, 6, 338146, 0",
            "custom-lenet-scene, 64, 6, 23122822, 0",
            "alexnet, 227, 1000, 62378344, 0",
            "alexnet-torchvision, 224, 1000, 61100840, 0",
            "alexnet-torchvision, 227, 6, 57028422, 0",
            "alexnet-cifar10-128, 128, 10, 24767882, 0",
            "alexnet, 128, 10, 24767882, 0",
            "alexnet1-cifar100, 32, 100, 35757284, 0",
            "alexnet2-cifar100, 32, 100, 14742428, 0",
            "alexnet-scene, 64, 6, 55128454, 0",
            "vggnet-cifar10-128, 128, 10, 59785802, 0",
            "vggnet-cifar10-128, 32, 10, 28328522, 0",
            "vgg11, 224, 1000, 132863336, 0",
            "vgg13, 224, 1000, 133047848, 0",
            "vgg16, 224, 1000, 138357544, 0",
            "vgg19, 224, 1000, 143667240, 0",
            "resnet18, 224, 1000, 11689512, 9600",
            "resnet34, 224, 1000, 21797672, 17024",
            "resnet50, 224, 1000, 25557032, 53120",
            "resnet101, 224, 1000, 44549160, 105344",
            "resnet152, 224, 1000, 60192808, 151424",
            "resnet18, 64, 6, 11179590, 9600",
            "resnet50, 64, 6, 23520326, 53120",
    })
    void parameterCountsEqualPyTorch(String id, int size, int classes, long pytorch, long bnStats) {
        ModelSummary s = ModelSummary.of(REGISTRY.get(id), new ModelSpec(classes, new InputShape(3, size, size), 1));
        assertThat(s.trainableParams()).as("PyTorch-comparable count").isEqualTo(pytorch);
        assertThat(s.bnRunningStats()).isEqualTo(bnStats);
        assertThat(s.numParams()).as("DL4J count").isEqualTo(pytorch + bnStats);
    }

    /** Counts and MACs of every benchmarked model against bench/pytorch-cpu.json (when ../shared is present). */
    @Test
    void benchFileAgrees() throws Exception {
        String shared = System.getProperty("shared.dir");
        File bench = shared == null ? null : new File(shared, "bench/pytorch-cpu.json");
        Assumptions.assumeTrue(bench != null && bench.isFile(), "no ../shared/bench/pytorch-cpu.json");
        JsonNode root = new ObjectMapper().readTree(bench);
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String id = e.getKey().replaceAll("@.*", "").replace("vggnet-cifar10-32", "vggnet-cifar10-128");
            JsonNode v = e.getValue();
            if (!REGISTRY.contains(id) || !v.isObject()) {
                continue;
            }
            JsonNode in = v.get("input");
            int classes = e.getKey().contains("@") ? Integer.parseInt(e.getKey().replaceAll(".*x", ""))
                    : REGISTRY.get(id).defaultClasses();
            ModelSpec spec = new ModelSpec(classes, new InputShape(in.get(0).asInt(), in.get(1).asInt(), in.get(2).asInt()), 1);
            ModelSummary s = ModelSummary.of(REGISTRY.get(id), spec);
            assertThat(s.trainableParams()).as(e.getKey() + " params").isEqualTo(v.get("params").asLong());
            assertThat(s.bnRunningStats()).as(e.getKey() + " bn").isEqualTo(v.get("bn_running_stats").asLong());
            assertThat(s.macs()).as(e.getKey() + " macs").isEqualTo(v.get("macs").asLong());
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
    }

    @Test
    void tooSmallInputNamesModelLayerAndSmallestInput() {
        ClassicModel alexnet = REGISTRY.get("alexnet");
        assertThatThrownBy(() -> alexnet.configuration(new ModelSpec(10, new InputShape(3, 32, 32), 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'alexnet'")
                .hasMessageContaining("3x32x32")
                .hasMessageContaining("3x67x67")
                .hasMessageContaining("layer '");
        assertThat(alexnet.configuration(new ModelSpec(10, new InputShape(3, 67, 67), 1))).isNotNull();
        assertThatThrownBy(() -> REGISTRY.get("lenet5").configuration(new ModelSpec(10, new InputShape(1, 8, 8), 1)))
                .hasMessageContaining("'lenet5'").hasMessageContaining("1x16x16").hasMessageContaining("conv2");
    }

    @Test
    void summaryTextAndJson() throws Exception {
        ModelSummary s = ModelSummary.of(REGISTRY.get("alexnet"), new ModelSpec(10, new InputShape(3, 128, 128), 1));
        JsonNode json = new ObjectMapper().readTree(s.toJson());
        assertThat(json.get("model").asText()).isEqualTo("alexnet");
        assertThat(json.get("input").asText()).isEqualTo("3x128x128");
        assertThat(json.get("numParams").asLong()).isEqualTo(24767882L);
        assertThat(json.get("macs").asLong()).isEqualTo(284274816L);
        JsonNode layers = json.get("layers");
        assertThat(layers).hasSize(13);
        JsonNode pool = layers.get(9);
        assertThat(pool.get("name").asText()).isEqualTo("features.14");
        assertThat(pool.get("type").asText()).isEqualTo("SubsamplingLayer");
        assertThat(pool.get("outputShape").toString()).isEqualTo("[256,2,2]");
        assertThat(layers.get(10).get("params").asLong()).isEqualTo(1024L * 4096 + 4096);
        assertThat(s.toText()).contains("features.0", "[-1, 96, 30, 30]", "24,767,882", "Multiply-accumulates per image: 284,274,816");
        ModelSummary r = ModelSummary.of(REGISTRY.get("resnet18"), new ModelSpec(6, new InputShape(3, 64, 64), 1));
        assertThat(r.toText()).contains("Total params (DL4J, incl. BN running stats): 11,189,190",
                "Trainable params (= PyTorch count): 11,179,590", "BN running mean/var: 9,600");
        assertThat(r.activationBytes()).isPositive();
        assertThat(r.largestDenseWeights()).as("resnet18's fc").isEqualTo(512L * 6);
        assertThat(s.largestDenseWeights()).as("alexnet's classifier.1").isEqualTo(4096L * 4096);
    }

    @Test
    void describesEveryModelWithSourceAndDefaults() {
        for (ClassicModel m : REGISTRY.all()) {
            assertThat(m.description()).as(m.id()).isNotBlank();
            assertThat(m.source()).as(m.id()).isNotBlank();
            assertThat(ModelSummary.of(m, m.defaultSpec(1)).layers()).as(m.id()).isNotEmpty();
        }
    }
}
