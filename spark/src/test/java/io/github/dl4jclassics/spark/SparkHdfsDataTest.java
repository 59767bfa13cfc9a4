package io.github.dl4jclassics.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spark-data executors} with an {@code hdfs://} URI: Hadoop's {@link MiniDFSCluster} (a name node and a data
 * node in this JVM, on loopback) holds the packed zips, the run writes them there and its executors read them back
 * through HDFS. Slow (an HDFS start): {@code mvn verify -Pslow}.
 */
@Tag("slow")
class SparkHdfsDataTest {

    @TempDir
    Path temp;

    @Test
    void lenetTrainsFromZipsPackedOnHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, temp.resolve("hdfs").toString());
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            String packedUri = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/packed";
            FileSystem hdfs = FileSystem.get(URI.create(packedUri), conf);
            long readBefore = bytesRead();
            JsonNode result = Json.mapper().readTree(SparkRunTest.run(0, "run", "lenet5-fashion-mnist-sample",
                    "--spark", "--master", "local[2]", "--spark-data", "executors", "--spark-data-uri", packedUri,
                    "--epochs", "2", "--batch-size", "16", "--limit-train", "900", "--limit-test", "200",
                    "--out", temp.resolve("runs").toString(), "--json"));
            assertThat(result.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(result.get("test").get("top1").asDouble()).isGreaterThan(0.3);

            long zipBytes = 0;
            int zips = 0;
            boolean index = false;
            RemoteIterator<LocatedFileStatus> files = hdfs.listFiles(new org.apache.hadoop.fs.Path(packedUri), true);
            while (files.hasNext()) {
                LocatedFileStatus file = files.next();
                if (file.getPath().getName().endsWith(".zip")) {
                    zipBytes += file.getLen();
                    zips++;
                }
                index |= file.getPath().getName().equals(FileBatchPacker.INDEX);
            }
            assertThat(index).isTrue();
            // 825 + 75 + 200 images in zips of 32.
            assertThat(zips).isEqualTo(26 + 3 + 7);
            // The executors (threads of this JVM on local[2]) read the zips through HDFS: the training zips twice
            // (2 epochs) and the evaluation zips at least three times (2 validations, 1 test) - more than all the
            // zips once.
            assertThat(bytesRead() - readBefore).isGreaterThan(zipBytes);
        } finally {
            cluster.shutdown();
        }
    }

    private static long bytesRead() {
        FileSystem.Statistics statistics = FileSystem.getAllStatistics().stream()
                .filter(s -> "hdfs".equals(s.getScheme())).findFirst().orElse(null);
        return statistics == null ? 0 : statistics.getBytesRead();
    }
}
