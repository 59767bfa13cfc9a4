package io.github.dl4jclassics.data.download;

import java.io.IOException;

/** A downloaded file whose checksum differs from the registry's; the partial file has been deleted. */
public class ChecksumMismatchException extends IOException {
    public ChecksumMismatchException(String message) {
        super(message);
    }
}
