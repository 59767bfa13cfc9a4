package io.github.dl4jclassics.spark;

import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataLocator;
import io.github.dl4jclassics.data.DataPipeline;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.PrepareOptions;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.experiments.cli.ManifestsOption;
import io.github.dl4jclassics.experiments.manifest.DistributedConfig;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code prepare-spark-data NAME --data-dir DIR --to URI}: packs an experiment's splits into FileBatch zips under
 * {@code URI} ahead of time, exactly as {@code run --spark --spark-data executors --spark-data-uri URI} would at its
 * start (same fingerprint, so that run then reuses them). The packing runs in this process, reading the data set and
 * writing through Hadoop's file systems (the Hadoop configuration on the class path, e.g. {@code HADOOP_CONF_DIR}).
 */
@Command(name = "prepare-spark-data", description = "Pack an experiment's train, validation and test splits into "
        + "FileBatch zips under a folder every Spark executor can read, for run --spark --spark-data executors.")
public final class PrepareSparkDataCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME|MANIFEST_FILE", description = "Experiment name or manifest file.")
    String experiment;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder of the data set's files (default: the usual places).")
    Path dataDir;

    @Option(names = "--to", paramLabel = "URI", required = true, description = "Where to pack: file:///shared/packed, "
            + "hdfs://HOST:8020/packed, s3a://BUCKET/packed (then give the run the same --spark-data-uri).")
    String to;

    @Option(names = "--limit-train", paramLabel = "N", description = "Only the first N training images (as run's).")
    Integer limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", description = "Only the first N test images (as run's).")
    Integer limitTest;

    @Mixin
    ManifestsOption manifests;

    @Override
    public Integer call() throws Exception {
        // The same checks as the manifest's distributed.dataUri.
        new DistributedConfig(null, null, null, null, null, null, DistributedConfig.DATA_EXECUTORS, to);
        ExperimentManifest manifest = manifests.loader().load(experiment);
        DataConfig config = manifest.data().withLimits(limitTrain, limitTest);
        DatasetSource source = DatasetRegistry.standard().get(config.dataset());
        DataFiles files = new DataLocator(dataDir).locate(source, config.location());
        PreparedData data = DataPipeline.prepare(source, files, config, manifest.model().input(), PrepareOptions.defaults());
        PackedData packed = FileBatchPacker.pack(source, files, config, data, to, FileBatchPacker.DEFAULT_FILES_PER_BATCH,
                new Configuration());
        System.out.printf("%s: %d / %d / %d train / validation / test images (%s) in %d / %d / %d zips under %s%n",
                manifest.name(), packed.images()[0], packed.images()[1], packed.images()[2], packed.format(),
                packed.train().size(), packed.validation().size(), packed.test().size(), packed.folder());
        return 0;
    }
}
