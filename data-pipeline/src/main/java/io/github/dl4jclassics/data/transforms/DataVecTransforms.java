package io.github.dl4jclassics.data.transforms;

import io.github.dl4jclassics.data.readers.RecordReaderImages.ChannelOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.datavec.image.transform.FlipImageTransform;
import org.datavec.image.transform.ImageTransform;
import org.datavec.image.transform.PipelineImageTransform;
import org.datavec.image.transform.ResizeImageTransform;
import org.nd4j.common.primitives.Pair;

/**
 * The manifest's per-image steps as DataVec {@link ImageTransform}s, for DataVec pipelines of one's own (an
 * {@code ImageRecordReader} takes one {@code ImageTransform}). Images are BGR there (OpenCV), which only PCA colour
 * cares about.
 *
 * <pre>{@code
 * ImageTransform augment = DataVecTransforms.training(List.of(new HorizontalFlip(0.5), new RandomCrop(224, 0)),
 *         null, 42);
 * ImageRecordReader reader = new ImageRecordReader(224, 224, 3, new ParentPathLabelGenerator(), augment);
 * }</pre>
 */
public final class DataVecTransforms {

    private DataVecTransforms() {
    }

    /**
     * Horizontal flip with probability {@code p}: DataVec's {@code FlipImageTransform(1)} (OpenCV flip code 1 mirrors
     * left-right) applied by a {@code PipelineImageTransform} with that probability.
     */
    public static ImageTransform horizontalFlip(double p, long seed) {
        return new PipelineImageTransform(seed, List.of(new Pair<>((ImageTransform) new FlipImageTransform(1), p)),
                false);
    }

    /** Bilinear resize to {@code height x width}: DataVec's {@code ResizeImageTransform}. */
    public static ImageTransform resize(int height, int width) {
        return new ResizeImageTransform(width, height);
    }

    /**
     * The training steps of a recipe (resize, random crop, horizontal flip, PCA colour; in the canonical order) as one
     * DataVec transform. Batch-level steps (normalize, mixup) are skipped: use {@link Normalize#normalizer} and
     * {@link MixupPreProcessor} on the {@code DataSetIterator}.
     *
     * @param pca the training split's eigen data when the recipe has {@code pca-colour} without its own
     */
    public static ImageTransform training(List<BatchTransform> steps, PcaEigen pca, long seed) {
        Random random = new Random(seed);
        List<Pair<ImageTransform, Double>> pipeline = new ArrayList<>();
        List<BatchTransform> sorted = new ArrayList<>(steps);
        sorted.sort(Comparator.comparingInt(BatchTransform::order));
        for (BatchTransform step : sorted) {
            ImageTransform transform = null;
            if (step instanceof Resize r) {
                transform = resize(r.outHeight(), r.outWidth());
            } else if (step instanceof RandomCrop c) {
                int side = c.size() == null ? 0 : c.size();
                transform = new PaddedRandomCropTransform(random, side, side, c.padding());
            } else if (step instanceof HorizontalFlip f) {
                transform = horizontalFlip(f.p(), random.nextLong());
            } else if (step instanceof PcaColour p) {
                transform = new PcaColourImageTransform(random, p.eigen() != null ? p.eigen() : requirePca(pca), p.std(),
                        ChannelOrder.BGR);
            }
            if (transform != null) {
                pipeline.add(new Pair<>(transform, 1.0));
            }
        }
        return new PipelineImageTransform(pipeline, false);
    }

    private static PcaEigen requirePca(PcaEigen pca) {
        if (pca == null) {
            throw new IllegalArgumentException("pca-colour needs the training split's eigen data: PcaEigen.compute(train)");
        }
        return pca;
    }
}
