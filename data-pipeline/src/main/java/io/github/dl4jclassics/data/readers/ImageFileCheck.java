package io.github.dl4jclassics.data.readers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds image files that decoders would accept but must not be trained on. OpenCV (libjpeg) decodes a JPEG cut
 * short by an interrupted copy or download with only a warning on stderr, filling the missing rows with grey; such a
 * file is found here by its missing end-of-image marker. A PNG must end with its IEND chunk. Other formats are left
 * to the decoder, whose failures are reported too.
 */
public final class ImageFileCheck {

    private ImageFileCheck() {
    }

    /** Why {@code file} must not be used, or null when it looks complete. */
    public static String problem(Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        if (data.length == 0) {
            return "empty file";
        }
        if (isJpeg(data)) {
            return hasEndAfterLastScan(data) ? null
                    : "truncated JPEG: no end-of-image marker after the image data";
        }
        if (isPng(data)) {
            return endsWithIend(data) ? null : "truncated PNG: no IEND chunk at the end";
        }
        return null;
    }

    static boolean isJpeg(byte[] data) {
        return data.length >= 3 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8 && (data[2] & 0xFF) == 0xFF;
    }

    static boolean isPng(byte[] data) {
        return data.length >= 8 && (data[0] & 0xFF) == 0x89 && data[1] == 'P' && data[2] == 'N' && data[3] == 'G';
    }

    /**
     * Inside entropy-coded data every 0xFF byte is followed by 0x00 or a restart marker, so an end-of-image marker
     * (FF D9) after the last start-of-scan (FF DA) means the scan data is complete. Searching from the last scan
     * ignores the EOI of an embedded EXIF thumbnail.
     */
    private static boolean hasEndAfterLastScan(byte[] data) {
        int lastScan = -1;
        for (int i = 0; i + 1 < data.length; i++) {
            if ((data[i] & 0xFF) == 0xFF && (data[i + 1] & 0xFF) == 0xDA) {
                lastScan = i;
            }
        }
        if (lastScan < 0) {
            return false;
        }
        for (int i = data.length - 2; i > lastScan; i--) {
            if ((data[i] & 0xFF) == 0xFF && (data[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithIend(byte[] data) {
        int from = Math.max(8, data.length - 64);
        String tail = new String(data, from, data.length - from, StandardCharsets.ISO_8859_1);
        return tail.contains("IEND");
    }
}
