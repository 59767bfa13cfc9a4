package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.experiments.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seed gives the same numbers: a run killed with kill -9 and resumed, and a run beside a busy neighbour, end
 * with epochs.csv identical to an undisturbed run's in every column but seconds, and identical weights. LeNet-5's
 * second convolution has an input gradient, so its backward path is chosen by rule (not by timing) in every process.
 * The runs evaluate the test split after every epoch ({@code evaluation.perEpoch}), so its columns are checked too.
 */
class ReproducibleRunTest {

    /** The default experiment with the per-epoch test evaluation, a manifest file written by {@link #undisturbedRun}. */
    private static final String SAMPLE = Main.DEFAULT_EXPERIMENT + "-test-per-epoch";

    @TempDir
    static Path shared;

    private static Path reference;

    private static String[] runArguments(Path out) {
        return new String[]{"run", shared.resolve(SAMPLE + ".json").toString(), "--epochs", "3", "--seed", "7", "--limit-test", "300",
                "--out", out.toString(), "--manifests", Paths.manifests().toString()};
    }

    @BeforeAll
    static void undisturbedRun() throws Exception {
        Files.writeString(shared.resolve(SAMPLE + ".json"), """
                {"base": ["%s.json"], "name": "%s", "evaluation": {"perEpoch": ["test"]}}
                """.formatted(Main.DEFAULT_EXPERIMENT, SAMPLE));
        assertThat(Main.execute(runArguments(shared.resolve("reference")))).isZero();
        reference = RunOutputs.onlyRun(shared.resolve("reference"), SAMPLE);
    }

    @Test
    void runKilledMidRunThenResumedEqualsTheUndisturbedRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("killed");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(runArguments(out)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        Path run;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while ((run = firstCheckpointedRun(out)) == null) {
                assertThat(child.isAlive()).as("child JVM running (see %s)", dir.resolve("child.log")).isTrue();
                assertThat(System.nanoTime()).as("child checkpointed epoch 1 in time").isLessThan(deadline);
                Thread.sleep(10);
            }
        } finally {
            child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
        }
        assertThat(run.resolve("result.json")).as("killed before the run ended").doesNotExist();

        assertThat(Main.execute("run", "--resume", run.toString())).isZero();

        assertSameNumbers(run, reference);
    }

    @Test
    void sameSeedBesideABusyNeighbourGivesTheSameNumbers(@TempDir Path dir) throws Exception {
        AtomicBoolean busy = new AtomicBoolean(true);
        List<Thread> neighbours = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread spinner = new Thread(() -> {
                double x = 1;
                while (busy.get()) {
                    x = Math.sqrt(x + 1.0); // keeps a core busy
                }
            });
            spinner.setDaemon(true);
            spinner.start();
            neighbours.add(spinner);
        }
        try {
            assertThat(Main.execute(runArguments(dir))).isZero();
        } finally {
            busy.set(false);
            for (Thread t : neighbours) {
                t.join();
            }
        }
        assertSameNumbers(RunOutputs.onlyRun(dir, SAMPLE), reference);
    }

    /** epochs.csv equal in every column but seconds, model.zip's parameters equal bit for bit. */
    private static void assertSameNumbers(Path run, Path expected) throws IOException {
        List<String> got = withoutSeconds(run.resolve("epochs.csv"));
        assertThat(got).hasSize(4);
        assertThat(got.get(0)).endsWith(",test_loss,test_top1,test_top5");
        assertThat(got.get(3).split(",", -1)).hasSize(10).doesNotContain("");
        assertThat(got).containsExactlyElementsOf(withoutSeconds(expected.resolve("epochs.csv")));
        MultiLayerNetwork a = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile());
        MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(expected.resolve("model.zip").toFile());
        assertThat(a.params().toFloatVector()).containsExactly(b.params().toFloatVector());
    }

    /** Each line without its seconds column (the 8th; the test columns follow it). */
    private static List<String> withoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(line -> {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(7);
            return String.join(",", cells);
        }).toList();
    }

    /** The run folder under out/SAMPLE once its epoch-1 checkpoint is complete (last.json names it), else null. */
    private static Path firstCheckpointedRun(Path out) throws IOException {
        Path parent = out.resolve(SAMPLE);
        if (!Files.isDirectory(parent)) {
            return null;
        }
        try (Stream<Path> runs = Files.list(parent)) {
            for (Path run : runs.toList()) {
                if (Files.isRegularFile(run.resolve("checkpoints/last.json"))) {
                    return run;
                }
            }
        }
        return null;
    }
}
