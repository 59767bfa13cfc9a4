package io.github.dl4jclassics.data;

/** A data file that is missing, truncated or not in the format it claims; the message names the file and the problem. */
public class DataFormatException extends RuntimeException {

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
