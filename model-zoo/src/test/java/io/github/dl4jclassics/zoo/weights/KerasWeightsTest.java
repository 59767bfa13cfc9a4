package io.github.dl4jclassics.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error paths only: no Keras .h5 can be made here (no h5py, no downloads). The mapping KerasWeights delegates to
 * is tested with a Keras-named, channels-last graph in {@link Dl4jZooWeightsTest}.
 */
class KerasWeightsTest {

    @TempDir
    Path dir;

    private final ClassicModel model = ModelRegistry.standard().get("vgg16");
    private final ClassifierNetwork ours = model.create(new ModelSpec(10, new InputShape(3, 32, 32), 1));

    @Test
    void missingFilesAreNamed() {
        IOException e = assertThrows(IOException.class,
                () -> KerasWeights.loadInto(model, ours, dir.resolve("vgg16.h5")));
        assertTrue(e.getMessage().contains("Keras model file not found") && e.getMessage().contains("vgg16.h5"),
                e.getMessage());
        IOException json = assertThrows(IOException.class,
                () -> KerasWeights.loadInto(model, ours, dir.resolve("vgg16.json"), dir.resolve("w.h5")));
        assertTrue(json.getMessage().contains("Keras architecture JSON not found"), json.getMessage());
    }

    @Test
    void aFileThatIsNotHdf5IsAnIoError() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.h5"), "not an HDF5 file");
        IOException e = assertThrows(IOException.class, () -> KerasWeights.loadInto(model, ours, junk));
        assertTrue(e.getMessage().contains("junk.h5"), e.getMessage());
    }
}
