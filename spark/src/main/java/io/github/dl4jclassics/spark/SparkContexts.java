package io.github.dl4jclassics.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * The Spark configuration every dl4j-classics Spark run needs, on top of what {@code spark-submit} or the command
 * line set: Kryo with ND4J's registrator, and on the executors (which do not run our entry point) the DL4J layer
 * helpers switched on, as {@code FastPath} does on the driver.
 */
public final class SparkContexts {

    /** DL4J's oneDNN/cuDNN layer helpers, off unless this property is false (see common's FastPath). */
    static final String HELPERS_ON = "-Dorg.eclipse.deeplearning4j.helpers.disable=false";

    private SparkContexts() {
    }

    /**
     * @param master the Spark master URL ({@code local[2]}, {@code yarn}, {@code spark://host:7077},
     *               {@code k8s://...}); null keeps the one {@code spark-submit} set
     */
    public static SparkConf configuration(String master, String appName) {
        SparkConf conf = new SparkConf(true);
        if (master != null) {
            conf.setMaster(master);
        }
        if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--spark needs a master: --master 'local[2]' (this machine, 2 workers), "
                    + "or spark-submit --master yarn|spark://HOST:PORT|k8s://URL");
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.set("spark.serializer", KryoSerializer.class.getName());
        conf.set("spark.kryo.registrator", Nd4jRegistrator.class.getName());
        // A minibatch of 224x224 RGB images is ~19 MB per 32 images: above Kryo's default 64 MB limit at batch 128.
        conf.setIfMissing("spark.kryoserializer.buffer.max", "1g");
        String executorOptions = conf.get("spark.executor.extraJavaOptions", "");
        if (!executorOptions.contains("org.eclipse.deeplearning4j.helpers.disable")) {
            conf.set("spark.executor.extraJavaOptions", (executorOptions + " " + HELPERS_ON).trim());
        }
        String used = conf.get("spark.master");
        if (isLocal(used)) {
            // One machine: the driver listens on loopback only, and no web UI.
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        if (used.startsWith("local-cluster")) {
            // Executors are separate JVMs started by an in-process worker from this JVM's class path; Spark's
            // launcher then needs no Spark installation.
            conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            conf.setIfMissing("spark.executorEnv.SPARK_TESTING", "1");
            conf.setIfMissing("spark.executorEnv.SPARK_SCALA_VERSION", "2.12");
        }
        return conf;
    }

    static boolean isLocal(String master) {
        return master.startsWith("local");
    }
}
