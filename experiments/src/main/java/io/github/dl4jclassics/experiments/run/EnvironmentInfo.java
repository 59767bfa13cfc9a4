package io.github.dl4jclassics.experiments.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;

/** What a run ran on, saved as {@code environment.json} so any result can be traced and repeated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentInfo(
        String dl4jClassicsVersion,
        String dl4jVersion,
        String javaVersion,
        String javaVendor,
        String os,
        String backend,
        String cpu,
        int availableProcessors,
        long maxHeapBytes,
        String gitCommit,
        Map<String, String> nd4jEnvironment,
        Map<String, String> threadSettings) {

    public static EnvironmentInfo capture() {
        Properties versions = versions();
        Map<String, String> nd4j = new TreeMap<>();
        Nd4j.getExecutioner().getEnvironmentInformation().forEach((k, v) -> nd4j.put(String.valueOf(k), String.valueOf(v)));
        Map<String, String> threads = new TreeMap<>();
        for (String name : new String[]{"OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"}) {
            if (System.getenv(name) != null) {
                threads.put(name, System.getenv(name));
            }
        }
        return new EnvironmentInfo(
                versions.getProperty("project.version", "unknown"),
                versions.getProperty("dl4j.version", "unknown"),
                System.getProperty("java.version"),
                System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Nd4j.getBackend().getClass().getSimpleName(),
                readCpuModel(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory(),
                readGitCommit(),
                nd4j,
                threads);
    }

    static Properties versions() {
        Properties properties = new Properties();
        try (var in = EnvironmentInfo.class.getResourceAsStream("/dl4j-classics-versions.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // Versions are informative; a missing file leaves "unknown".
        }
        return properties;
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Not Linux: fall through.
        }
        return System.getProperty("os.arch");
    }

    private static String readGitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0) {
                String commit = new String(git.getInputStream().readAllBytes()).trim();
                Process status = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").start();
                boolean dirty = status.waitFor(5, TimeUnit.SECONDS) && status.getInputStream().readAllBytes().length > 0;
                return dirty ? commit + " (with uncommitted changes)" : commit;
            }
            git.destroyForcibly();
        } catch (IOException e) {
            return "unknown (git not available)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown (not a git checkout)";
    }
}
