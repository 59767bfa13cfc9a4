package io.github.dl4jclassics.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local-cluster[2,1,2048]}: two executor JVMs started by an in-process Spark worker, so the network, the
 * minibatches and the averaged parameters really cross process boundaries (Kryo, task serialization, the
 * executors' own JVM options). Slow (two more JVMs that load ND4J): {@code mvn verify -Pslow}.
 */
@Tag("slow")
class SparkLocalClusterTest {

    @TempDir
    Path temp;

    @Test
    void lenetTrainsOnTwoExecutorJvms() throws IOException {
        JsonNode result = Json.mapper().readTree(SparkRunTest.run(0, "run", "lenet5-fashion-mnist-sample", "--spark",
                "--master", "local-cluster[2,1,2048]", "--epochs", "2", "--batch-size", "16", "--limit-train", "900",
                "--limit-test", "200", "--out", temp.resolve("runs").toString(), "--json"));
        assertThat(result.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(result.get("test").get("top1").asDouble()).isGreaterThan(0.3);
        Path runFolder = Path.of(result.get("runDirectory").asText());
        JsonNode spark = Json.mapper().readTree(runFolder.resolve("environment.json").toFile()).get("spark");
        assertThat(spark.get("master").asText()).isEqualTo("local-cluster[2,1,2048]");
        assertThat(spark.get("workers").asInt()).isEqualTo(2);
    }

    @Test
    void lenetTrainsOnTwoExecutorJvmsThatReadThePackedFilesThemselves() throws IOException {
        // The executors are separate JVMs and the RDDs hold only the zips' paths: the images reach them only by
        // reading the file:// folder themselves. Validation and test are measured there too.
        String packedUri = temp.resolve("packed").toUri().toString();
        JsonNode result = Json.mapper().readTree(SparkRunTest.run(0, "run", "lenet5-fashion-mnist-sample", "--spark",
                "--master", "local-cluster[2,1,2048]", "--spark-data", "executors", "--spark-data-uri", packedUri,
                "--epochs", "2", "--batch-size", "16", "--limit-train", "900", "--limit-test", "200",
                "--out", temp.resolve("runs").toString(), "--json"));
        assertThat(result.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(result.get("test").get("top1").asDouble()).isGreaterThan(0.3);
        Path runFolder = Path.of(result.get("runDirectory").asText());
        JsonNode spark = Json.mapper().readTree(runFolder.resolve("environment.json").toFile()).get("spark");
        assertThat(spark.get("master").asText()).isEqualTo("local-cluster[2,1,2048]");
        assertThat(spark.get("data").asText()).isEqualTo("executors");
        assertThat(spark.get("dataUri").asText()).isEqualTo(packedUri);
    }
}
