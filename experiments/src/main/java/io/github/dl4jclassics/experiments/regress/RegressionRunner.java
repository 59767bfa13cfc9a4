package io.github.dl4jclassics.experiments.regress;

import io.github.dl4jclassics.evaluation.RunStatus;
import io.github.dl4jclassics.data.DataNotFoundException;
import io.github.dl4jclassics.evaluation.DocumentedResult;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.Verdict;
import io.github.dl4jclassics.evaluation.report.CheckTable;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.experiments.run.RunOptions;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every experiment carrying a tag, one after the other, and judges each against its documented value. An
 * experiment that cannot run (missing data or weights, out of memory, an invalid manifest, any other exception)
 * becomes an ERROR entry and the others still run: infrastructure problems are reported apart from accuracy
 * regressions.
 */
public final class RegressionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RegressionRunner.class);

    /** Runs one resolved manifest; the production implementation is ExperimentRunner::run. */
    @FunctionalInterface
    public interface Runner {
        RunResult run(ExperimentManifest manifest, RunOptions options) throws Exception;
    }

    private final ManifestLoader loader;
    private final Runner runner;

    public RegressionRunner(ManifestLoader loader, Runner runner) {
        this.loader = loader;
        this.runner = runner;
    }

    /**
     * @param tag     run the manifests with this tag; null or "all" for every manifest
     * @param only    if not empty, only these experiment names (still filtered by tag)
     * @param options overrides for every run (epochs, limits, data directory); its outRoot is where run folders go
     */
    public RegressionReport run(String tag, Set<String> only, boolean gpu, String backend, RunOptions options) {
        long started = System.nanoTime();
        String startedAt = Instant.now().toString();
        List<RegressionEntry> entries = new ArrayList<>();
        boolean all = tag == null || tag.equals("all");
        for (String name : loader.names()) {
            if (!only.isEmpty() && !only.contains(name)) {
                continue;
            }
            ExperimentManifest manifest;
            try {
                manifest = loader.load(name);
            } catch (RuntimeException e) {
                // Its tags are unknown, so it is reported whatever the tag: a manifest that does not load is a bug.
                entries.add(error(name, null, "invalid-manifest", e.getMessage(), 0, null));
                continue;
            }
            if (!all && !manifest.tags().contains(tag)) {
                continue;
            }
            entries.add(runOne(manifest, options));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return RegressionReport.of(all ? "all" : tag, gpu, backend, startedAt, seconds, entries);
    }

    private RegressionEntry runOne(ExperimentManifest manifest, RunOptions options) {
        LOG.info("regression: running {}", manifest.name());
        long started = System.nanoTime();
        RunResult result;
        try {
            result = runner.run(manifest, options);
        } catch (Throwable e) {
            if (e instanceof Error && !(e instanceof OutOfMemoryError)) {
                throw (Error) e;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.error("regression: {} could not run: {}", manifest.name(), e.toString());
            return error(manifest.name(), manifest, kind(e), describe(e), seconds, null);
        }
        DocumentedResult documented = manifest.documented();
        Double reference = documented == null ? null : documented.value();
        Double measured = result.measured();
        Double delta = reference != null && measured != null && !measured.isNaN() ? measured - reference : null;
        Verdict verdict;
        String message = null;
        if (result.status() != RunStatus.COMPLETED) {
            verdict = reference == null ? Verdict.NO_REFERENCE : Verdict.FAIL;
            message = String.valueOf(result.status()).toLowerCase(Locale.ROOT) + ": " + result.failure();
        } else if (result.verdict() == Verdict.FAIL) {
            verdict = Verdict.FAIL;
            boolean headlineMissed = Verdict.judge(documented, measured) == Verdict.FAIL;
            message = headlineMissed ? String.format(Locale.ROOT,
                    "%s %s %.2f%% is below the documented %.2f%% minus the tolerance %.2f%%",
                    documented.split(), documented.metric(), measured == null ? Double.NaN : measured * 100,
                    reference * 100, documented.toleranceOrZero() * 100)
                    : "another documented overall value was missed: " + CheckTable.missSummary(result.checks());
        } else {
            verdict = result.verdict() == Verdict.PASS ? Verdict.PASS : Verdict.NO_REFERENCE;
        }
        return new RegressionEntry(manifest.name(), manifest.model().id(), manifest.data().dataset(),
                documented == null ? null : documented.metric(), documented == null ? null : documented.split(),
                reference, documented == null ? null : documented.tolerance(), measured, delta, verdict,
                result.status(), null, message, result.seconds() != null ? result.seconds()
                : (System.nanoTime() - started) / 1e9, result.runDirectory(), result.checks());
    }

    private static RegressionEntry error(String name, ExperimentManifest m, String kind, String message, double seconds,
                                         String runDirectory) {
        DocumentedResult d = m == null ? null : m.documented();
        return new RegressionEntry(name, m == null ? null : m.model().id(), m == null ? null : m.data().dataset(),
                d == null ? null : d.metric(), d == null ? null : d.split(), d == null ? null : d.value(),
                d == null ? null : d.tolerance(), null, null, Verdict.ERROR, RunStatus.NOT_RUN, kind, message,
                seconds, runDirectory);
    }

    /** The kind of infrastructure failure, from the exception and its causes. */
    static String kind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataNotFoundException) {
                return "missing-data";
            }
            if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
                return "missing-file";
            }
            if (t instanceof OutOfMemoryError || isNativeOutOfMemory(t.getMessage())) {
                return "out-of-memory";
            }
            if (t instanceof io.github.dl4jclassics.experiments.manifest.ManifestException) {
                return "invalid-manifest";
            }
        }
        return "exception";
    }

    /** ND4J's off-heap allocation failures arrive as plain runtime exceptions; recognise them by their text. */
    private static boolean isNativeOutOfMemory(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("out of memory") || m.contains("outofmemory") || m.contains("failed to allocate")
                || m.contains("cannot allocate") || m.contains("maxbytes") || m.contains("physical bytes");
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e instanceof OutOfMemoryError ? "out of memory (" + message + "): raise -Xmx or"
                + " -Dorg.bytedeco.javacpp.maxbytes, or lower --batch-size" : message;
    }

    /** Where the run folders of a regression go. */
    public static Path runsUnder(Path out) {
        return out.resolve("runs");
    }
}
