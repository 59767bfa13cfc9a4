package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.data.download.DatasetDownloads;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code download DATASET...}: fetch, verify and unpack data sets into the data directory (needs internet). */
@Command(name = "download", description = "Download data sets (verified, resumable) into the data directory.")
final class DownloadCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "Data set ids: fashion-mnist, mnist, cifar10, cifar100, scene.")
    List<String> datasets;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Target data directory (default: ~/.dl4j-classics/data).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        Path target = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".dl4j-classics", "data");
        for (String dataset : datasets) {
            Path folder = DatasetDownloads.standard().fetch(dataset, target);
            System.out.println(dataset + ": ready in " + folder);
        }
        return 0;
    }
}
