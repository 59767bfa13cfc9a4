package io.github.dl4jclassics.spark;

import java.util.List;

/**
 * The training, validation and test splits of a run packed into {@link org.nd4j.common.loader.FileBatch} zips under
 * one folder that every executor can read ({@code packing.json} says what is inside).
 *
 * @param folder        the packing's folder URI ({@code DATA_URI/<dataset>-<fingerprint>})
 * @param fingerprint   identity of the packed data: data set files, split, limits, stored-image size, batch size
 * @param filesPerBatch images per zip (the last zip of a split may hold fewer)
 * @param train         the training split's zips, relative to {@code folder}
 * @param validation    the validation split's zips (empty without a validation split)
 * @param test          the test split's zips
 * @param images        images of each split: train, validation, test
 * @param format        {@code original} (the image files' own bytes) or {@code png} (decoded images, lossless)
 */
public record PackedData(String folder, String fingerprint, int filesPerBatch, List<String> train,
                         List<String> validation, List<String> test, int[] images, String format) {

    /** True when the zips' files are named by class index ({@code png}) rather than held in class-name folders. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean indexFolders() {
        return "png".equals(format);
    }

    /** Full URIs of {@code relative} paths of this packing. */
    public List<String> uris(List<String> relative) {
        String base = folder.endsWith("/") ? folder : folder + "/";
        return relative.stream().map(path -> base + path).toList();
    }
}
