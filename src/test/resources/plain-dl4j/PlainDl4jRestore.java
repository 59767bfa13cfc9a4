import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipFile;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A user's application: restores a saved model with DL4J's ModelSerializer alone and classifies two random images.
 * Run by PlainDl4jRestoreTest as a single-file program in a JVM whose class path holds no class of this project.
 * Arguments: model.zip channels height width classes. Exit 0 when the output has shape [2, classes] and is finite.
 */
public class PlainDl4jRestore {

    public static void main(String[] args) throws Exception {
        try {
            Class.forName("io.github.dl4jclassics.zoo.ClassifierNetwork");
            System.out.println("a class of the project is on the class path");
            System.exit(3);
        } catch (ClassNotFoundException expected) {
            // as it must be
        }
        File file = new File(args[0]);
        boolean graph;
        try (ZipFile zip = new ZipFile(file)) {
            graph = new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(),
                    StandardCharsets.UTF_8).contains("\"vertices\"");
        }
        long classes = Long.parseLong(args[4]);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, Long.parseLong(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]));
        INDArray output = graph ? ModelSerializer.restoreComputationGraph(file).outputSingle(images)
                : ModelSerializer.restoreMultiLayerNetwork(file).output(images);
        boolean finite = Arrays.stream(output.toDoubleMatrix()).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite);
        System.out.println("output shape " + Arrays.toString(output.shape()) + ", finite " + finite);
        System.exit(Arrays.equals(output.shape(), new long[]{2, classes}) && finite ? 0 : 1);
    }
}
