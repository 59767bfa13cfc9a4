package io.github.dl4jclassics.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An image input in channels-first order, written "CxHxW" (e.g. "3x32x32") in manifests and on the command line. */
public record InputShape(int channels, int height, int width) {

    public InputShape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input shape must be positive, got " + channels + "x" + height + "x" + width);
        }
    }

    @JsonCreator
    public static InputShape parse(String text) {
        String[] parts = text.trim().toLowerCase().split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("input shape '" + text + "' is not CxHxW, e.g. 3x32x32");
        }
        try {
            return new InputShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("input shape '" + text + "' is not CxHxW, e.g. 3x32x32");
        }
    }

    /** Values per image. */
    public int size() {
        return channels * height * width;
    }

    public InputShape withChannels(int newChannels) {
        return new InputShape(newChannels, height, width);
    }

    @JsonValue
    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
