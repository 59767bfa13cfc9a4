package io.github.dl4jclassics.data.transforms;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.dl4jclassics.data.CacheOrigin;
import io.github.dl4jclassics.data.DataCache;
import io.github.dl4jclassics.data.Fingerprints;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.store.MappedPixelStore;
import io.github.dl4jclassics.data.store.PixelStore;
import io.github.dl4jclassics.data.store.PixelStoreBuilder;
import io.github.dl4jclassics.common.InputShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Bilinear resize to {@code height x width}, or to the model's input when no size is given
 * ({@code {"type": "resize"}}; the pipeline binds it with {@link #to(InputShape)}). Resizing is deterministic,
 * so the pipeline applies it once when loading ({@link #apply(ImageSet, Path, long, String)}) and keeps the
 * result (in memory, or a memory-mapped cache file when large), not once per batch.
 *
 * @param size   square side (shorthand for equal height and width); optional
 * @param height output height; optional
 * @param width  output width; optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resize(Integer size, Integer height, Integer width) implements BatchTransform {

    public Resize {
        if (size != null && (height != null || width != null)) {
            throw new IllegalArgumentException("resize: give either size or height and width, not both");
        }
        if ((height == null) != (width == null)) {
            throw new IllegalArgumentException("resize: give both height and width (or size)");
        }
        for (Integer v : new Integer[]{size, height, width}) {
            if (v != null && v < 1) {
                throw new IllegalArgumentException("resize: sizes must be positive, got " + v);
            }
        }
    }

    public static Resize to(int height, int width) {
        return new Resize(null, height, width);
    }

    /** Bound to the model's input size when the manifest gave no size; unchanged otherwise. */
    public Resize to(InputShape modelInput) {
        return isBound() ? this : to(modelInput.height(), modelInput.width());
    }

    @JsonIgnore
    public boolean isBound() {
        return size != null || height != null;
    }

    @JsonIgnore
    public int outHeight() {
        requireBound();
        return size != null ? size : height;
    }

    @JsonIgnore
    public int outWidth() {
        requireBound();
        return size != null ? size : width;
    }

    private void requireBound() {
        if (!isBound()) {
            throw new IllegalStateException("resize has no size yet; DataPipeline binds it to the model's input");
        }
    }

    @Override
    public int order() {
        return ORDER_RESIZE;
    }

    @Override
    public boolean augmentation() {
        return false;
    }

    @Override
    public InputShape outputShape(InputShape input) {
        return new InputShape(input.channels(), outHeight(), outWidth());
    }

    /** Per-batch resize, for callers that did not resize at load time (a no-op when sizes already match). */
    @Override
    public void apply(Batch batch, Random random) {
        InputShape in = batch.shape();
        InputShape out = outputShape(in);
        if (in.equals(out)) {
            return;
        }
        float[] target = new float[batch.count() * out.size()];
        for (int n = 0; n < batch.count(); n++) {
            Bilinear.resize(batch.features(), n * in.size(), in.channels(), in.height(), in.width(),
                    target, n * out.size(), out.height(), out.width());
        }
        batch.replaceFeatures(target, out);
    }

    /**
     * Resizes every image of {@code images} once, in parallel. Results larger than {@code memoryBudget} go to
     * {@code cacheDir/pixels/<key>.u8} and are memory-mapped; such a file is reused by later runs with the same
     * {@code cacheKey} (which must identify the source images, e.g. data set, files and subset).
     */
    public ImageSet apply(ImageSet images, Path cacheDir, long memoryBudget, String cacheKey) {
        return apply(images, cacheDir, memoryBudget, cacheKey, null);
    }

    /**
     * As {@link #apply(ImageSet, Path, long, String)}; {@code origin} (may be null) is what a cache file written here
     * is recorded with (a supplier: its fingerprint walks the source's files, worth it only when a file is written).
     */
    public ImageSet apply(ImageSet images, Path cacheDir, long memoryBudget, String cacheKey,
                          Supplier<CacheOrigin> origin) {
        InputShape in = images.shape();
        InputShape out = outputShape(in);
        if (in.equals(out)) {
            return images;
        }
        String description = images.description() + " resized to " + out.height() + "x" + out.width();
        int count = images.size();
        int[] labels = images.labels();
        Path file = cacheDir == null ? null
                : cacheDir.resolve("pixels").resolve(Fingerprints.sha256(cacheKey + "|" + out + "|bilinear-v1") + ".u8");
        long bytes = (long) count * out.size();
        if (file != null && bytes > memoryBudget && sizeIs(file, bytes)) {
            PixelStore cached = new MappedPixelStore(file, 0, count, out.size());
            DataCache.markUsed(file);
            return new ImageSet(cached, null, labels, out, images.classNames(), description + " (cached)");
        }
        try (PixelStoreBuilder builder = PixelStoreBuilder.create(count, out.size(), memoryBudget, file)) {
            IntStream.range(0, count).parallel().forEach(i -> {
                byte[] source = images.imageBytes(i);
                byte[] target = new byte[out.size()];
                Bilinear.resize(source, 0, in.channels(), in.height(), in.width(), target, 0, out.height(), out.width());
                builder.put(i, target, 0);
            });
            PixelStore resized = builder.finish();
            if (file != null && origin != null && bytes > memoryBudget && Files.isRegularFile(file)) {
                origin.get().withImages(out, count).writeBeside(file);
            }
            return new ImageSet(resized, null, labels, out, images.classNames(), description);
        }
    }

    private static boolean sizeIs(Path file, long bytes) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == bytes;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
