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

    private SparkTraining training;

    @Override
    public Integer call() throws Exception {
        if (master != null && !spark) {
            throw new IllegalArgumentException("--master needs --spark");
        }
        if (!spark) {
            return super.call();
        }
        try (SparkTraining started = SparkTraining.start(master, "dl4j-classics")) {
            training = started;
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
