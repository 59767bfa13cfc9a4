package io.github.dl4jclassics.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * There is no dl4j-spark at 1.0.0-M2.1: dl4j-spark_2.12 and nd4j-kryo_2.12 come at 1.0.0-M2, and nothing else of
 * DL4J, ND4J or DataVec may follow them down to M2 (the class path must be M2.1 everywhere else). Read from the
 * {@code META-INF/maven/.../pom.properties} of every jar on the test class path, which is the module's runtime
 * class path plus the test libraries, i.e. what the shaded jar holds.
 */
class DependencyVersionsTest {

    private static final Set<String> DL4J_GROUPS = Set.of("org.deeplearning4j", "org.nd4j", "org.datavec");
    private static final Set<String> ALLOWED_AT_M2 = Set.of("org.deeplearning4j:dl4j-spark_2.12", "org.nd4j:nd4j-kryo_2.12");

    @Test
    void onlyDl4jSparkAndNd4jKryoResolveAtM2() throws IOException {
        Map<String, String> versions = dl4jArtifacts();
        // The class path is the real one: DL4J core, ND4J and the two Spark artifacts are all on it.
        assertThat(versions).containsKeys("org.deeplearning4j:deeplearning4j-nn", "org.nd4j:nd4j-api",
                "org.datavec:datavec-api", "org.deeplearning4j:dl4j-spark_2.12", "org.nd4j:nd4j-kryo_2.12",
                "org.datavec:datavec-spark_2.12", "org.nd4j:jackson");
        List<String> wrong = new ArrayList<>();
        versions.forEach((artifact, version) -> {
            String expected = ALLOWED_AT_M2.contains(artifact) ? "1.0.0-M2" : "1.0.0-M2.1";
            if (!version.equals(expected)) {
                wrong.add(artifact + ":" + version + " (expected " + expected + ")");
            }
        });
        assertThat(wrong).as("DL4J/ND4J/DataVec artifacts at an unexpected version").isEmpty();
    }

    /** groupId:artifactId to version, for every DL4J, ND4J and DataVec jar on the class path. */
    private static Map<String, String> dl4jArtifacts() throws IOException {
        Map<String, String> versions = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !new File(entry).isFile()) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry file = entries.nextElement();
                    if (!file.getName().startsWith("META-INF/maven/") || !file.getName().endsWith("/pom.properties")) {
                        continue;
                    }
                    Properties pom = new Properties();
                    try (InputStream in = jar.getInputStream(file)) {
                        pom.load(in);
                    }
                    String group = pom.getProperty("groupId");
                    if (group != null && DL4J_GROUPS.contains(group)) {
                        String previous = versions.put(group + ":" + pom.getProperty("artifactId"), pom.getProperty("version"));
                        String now = versions.get(group + ":" + pom.getProperty("artifactId"));
                        if (previous != null && !previous.equals(now)) {
                            versions.put(group + ":" + pom.getProperty("artifactId"), previous + " and " + now);
                        }
                    }
                }
            }
        }
        return versions;
    }
}
