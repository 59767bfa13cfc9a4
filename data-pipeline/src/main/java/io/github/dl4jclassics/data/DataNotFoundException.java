package io.github.dl4jclassics.data;

import java.nio.file.Path;
import java.util.List;

/** A data set that is not in any of the places searched; the message lists them and how to get the files. */
public class DataNotFoundException extends RuntimeException {

    private final List<Path> searched;

    public DataNotFoundException(String datasetId, List<Path> searched, String howToGet) {
        super(buildMessage(datasetId, searched, howToGet));
        this.searched = List.copyOf(searched);
    }

    public List<Path> searched() {
        return searched;
    }

    private static String buildMessage(String datasetId, List<Path> searched, String howToGet) {
        StringBuilder message = new StringBuilder("data set '" + datasetId + "' not found. Looked in:");
        for (Path path : searched) {
            message.append("\n  - ").append(path);
        }
        message.append("\n").append(howToGet);
        return message.toString();
    }
}
