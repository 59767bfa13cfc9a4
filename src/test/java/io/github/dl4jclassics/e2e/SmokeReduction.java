package io.github.dl4jclassics.e2e;

import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.SplitConfig;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import io.github.dl4jclassics.data.transforms.CenterCrop;
import io.github.dl4jclassics.data.transforms.RandomCrop;
import io.github.dl4jclassics.data.transforms.Resize;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ModelSection;
import io.github.dl4jclassics.training.TrainingConfig;
import io.github.dl4jclassics.training.transfer.TransferConfig;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.models.BaseClassicModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The smoke version of a manifest: the same model, reader, transforms, optimizer and schedule, but one epoch, a
 * small batch, generated data, and the smallest input the architecture accepts (never below {@link #FLOOR}, never
 * above the manifest's). Sizes in the transforms shrink in proportion, so a resize-then-crop recipe stays one.
 * Built as a modified manifest, so the runner is called exactly as {@code run NAME} calls it.
 */
final class SmokeReduction {

    /** Smallest side tried; below this even the models that accept it stop exercising their pooling. */
    static final int FLOOR = Integer.getInteger("smoke.floor", 32);
    static final int MAX_BATCH = 16;

    private SmokeReduction() {
    }

    /** The input side used for the smoke run of {@code model} whose manifest input is {@code input}. */
    static int side(ClassicModel model, InputShape input, List<BatchTransform> transforms) {
        if (transforms.stream().noneMatch(t -> t instanceof Resize)) {
            // Without a resize the data set fixes the input (CIFAR's 32x32): keep it.
            return input.height();
        }
        int smallest = model instanceof BaseClassicModel base ? base.smallestSquareInput(input.channels()) : input.height();
        return Math.min(input.height(), Math.max(FLOOR, smallest));
    }

    static ExperimentManifest reduce(ExperimentManifest m, ClassicModel model, String location, int classes,
                                     TransferConfig transfer) {
        InputShape original = m.model().input();
        DataConfig d = m.data();
        int side = side(model, original, d.transforms());
        InputShape input = new InputShape(original.channels(), side, side);
        ModelSection section = new ModelSection(m.model().id(), classes, input, m.model().init());

        SplitConfig split = d.split() == null ? null : new SplitConfig(null, 0.2, d.split().seed());
        DataConfig data = new DataConfig(d.dataset(), location, d.labels(), split,
                scaledTransforms(d.transforms(), original.height(), side), d.testFraction(), d.testSeed(), null, null);

        TrainingConfig t = m.training();
        TrainingConfig training = t.withEpochs(1).withBatchSize(Math.min(MAX_BATCH, t.batchSize()));

        return new ExperimentManifest(m.name(), m.description(), m.tags(), m.source(), section, data, training,
                m.transfer() == null ? null : transfer, m.evaluation(), m.documented(), m.checks(), null, m.distributed());
    }

    /** Crops become the new input side; an explicit resize keeps its margin over the crop, scaled. */
    static List<BatchTransform> scaledTransforms(List<BatchTransform> transforms, int originalSide, int side) {
        Integer crop = null;
        for (BatchTransform t : transforms) {
            if (t instanceof RandomCrop r && r.size() != null) {
                crop = r.size();
            } else if (t instanceof CenterCrop c) {
                crop = c.size();
            }
        }
        List<BatchTransform> out = new ArrayList<>();
        for (BatchTransform t : transforms) {
            if (t instanceof Resize r && r.isBound()) {
                int from = crop != null ? crop : originalSide;
                int margin = r.outHeight() - from;
                int size = side + (margin <= 0 ? 0 : Math.max(1, (int) Math.round(margin * (double) side / from)));
                out.add(Resize.to(size, size));
            } else if (t instanceof RandomCrop r && r.size() != null) {
                out.add(new RandomCrop(side, r.padding()));
            } else if (t instanceof CenterCrop) {
                out.add(new CenterCrop(side));
            } else {
                out.add(t);
            }
        }
        return out;
    }
}
