package io.github.dl4jclassics.spark;

import io.github.dl4jclassics.experiments.cli.RunCommand;
import io.github.dl4jclassics.experiments.run.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The experiments' {@code run} command, with {@code --spark}: train data-parallel on a Spark master. */
@Command(name = "run", description = "Run an experiment: train (with --spark: data-parallel on Spark), evaluate, and "
        + "compare with the documented result.")
public final class SparkRunCommand extends RunCommand {

    @Option(names = "--spark", description = "Train data-parallel on Spark (parameter averaging); the run folder is "
            + "written by this process (the driver).")
    boolean spark;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master with --spark: local[N] (this machine, "
            + "N workers), spark://HOST:PORT, yarn, k8s://URL (default: the one spark-submit set).")
    String master;

    @Option(names = "--spark-data", paramLabel = "driver|executors", description = "With --spark: where the images "
            + "are read. driver (default): the driver prepares every minibatch and sends it; executors: the splits are "
            + "packed once under --spark-data-uri and every executor reads its share (manifest: distributed.data).")
    String sparkData;

    @Option(names = "--spark-data-uri", paramLabel = "URI", description = "With --spark-data executors: a folder every "
            + "executor can read (file:///shared/packed, hdfs://HOST:8020/packed, s3a://BUCKET/packed); packed data "
            + "found there are reused (manifest: distributed.dataUri).")
    String sparkDataUri;

    private SparkTraining training;

    @Override
    public Integer call() throws Exception {
        if (master != null && !spark) {
            throw new IllegalArgumentException("--master needs --spark");
        }
        if (!spark && (sparkData != null || sparkDataUri != null)) {
            throw new IllegalArgumentException((sparkData != null ? "--spark-data" : "--spark-data-uri") + " needs --spark");
        }
        if (sparkData != null && !sparkData.equals("driver") && !sparkData.equals("executors")) {
            throw new IllegalArgumentException("--spark-data must be driver or executors, got '" + sparkData + "'");
        }
        if ("driver".equals(sparkData) && sparkDataUri != null) {
            throw new IllegalArgumentException("--spark-data-uri is read only with --spark-data executors");
        }
        if (!spark) {
            return super.call();
        }
        try (SparkTraining started = SparkTraining.start(master, "dl4j-classics")) {
            training = started.withData(sparkData, sparkDataUri);
            return super.call();
        } finally {
            training = null;
        }
    }

    @Override
    protected ExperimentRunner runner() {
        ExperimentRunner runner = super.runner();
        return training == null ? runner : runner.withDistributedTraining(training);
    }
}
