package io.github.dl4jclassics.experiments.manifest;

/** A manifest that cannot be used; the message names the file, the field and what is allowed. */
public class ManifestException extends RuntimeException {

    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
