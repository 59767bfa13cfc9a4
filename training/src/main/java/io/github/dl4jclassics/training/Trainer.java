package io.github.dl4jclassics.training;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import io.github.dl4jclassics.training.checkpoints.TrainingState;
import io.github.dl4jclassics.training.schedules.ConstantSchedule;
import io.github.dl4jclassics.training.schedules.LearningRateScheduler;
import io.github.dl4jclassics.training.schedules.ScheduleConfig;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop: learning rate from the schedule, batches prepared on a background thread, running loss and
 * accuracy, a divergence check after every batch, validation, early stopping, {@code epochs.csv} and an
 * atomic checkpoint after every epoch.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final TrainingConfig config;
    private final CheckpointStore checkpoints;
    private final EpochLog epochLog;
    private final boolean interactive;
    private final List<TrainingListener> extraListeners;
    private String resumeCommand;
    /** Null: the epoch is trained in this JVM by {@link #trainEpoch}. */
    private EpochFitter epochFitter;
    /** Null: no per-epoch test evaluation. */
    private Validator testEvaluator;

    /**
     * @param extraListeners added to the network for the whole of {@link #train} (after the batch statistics) and
     *                       removed at its end, e.g. the DL4J UI's {@code StatsListener}
     */
    public Trainer(TrainingConfig config, CheckpointStore checkpoints, EpochLog epochLog, boolean interactive,
                   List<TrainingListener> extraListeners) {
        this.config = config;
        this.checkpoints = checkpoints;
        this.epochLog = epochLog;
        this.interactive = interactive;
        this.extraListeners = List.copyOf(extraListeners);
    }

    /**
     * The command that continues this run, printed when a signal (SIGTERM, Ctrl-C) stops training; without it a
     * generic {@code run --resume RUN_DIR} is printed.
     */
    public Trainer resumeCommand(String command) {
        this.resumeCommand = command;
        return this;
    }

    /**
     * Hands each epoch's fitting to {@code fitter} (e.g. a Spark cluster) instead of this JVM's loop; everything
     * around the epoch stays the same.
     */
    public Trainer withEpochFitter(EpochFitter fitter) {
        this.epochFitter = fitter;
        return this;
    }

    /**
     * Also measures the test split after every epoch ({@code evaluation.perEpoch: ["test"]}, as notes that draw
     * test curves per epoch), into epochs.csv's test columns. The values are for the curves only: early stopping,
     * the best epoch and a plateau schedule read validation values and never these.
     */
    public Trainer withPerEpochTest(Validator evaluator) {
        this.testEvaluator = evaluator;
        return this;
    }

    /**
     * Trains from epoch {@code resumeFrom.epochsCompleted()} (or 0) to {@code config.epochs()}. With
     * {@code resumeFrom}, the network must be the one of that checkpoint with its updater state
     * ({@link Resume}); the schedule, early-stopping counters and {@code epochs.csv} continue from the state.
     *
     * @param validator  null when there is no validation split (early stopping then cannot run)
     * @param resumeFrom state of the checkpoint the network was loaded from, or null for a fresh run
     */
    public TrainingOutcome train(ClassifierNetwork network, ImageSetIterator trainData, Validator validator,
                                 TrainingState resumeFrom) throws IOException {
        double baseRate = config.optimizer().learningRate();
        ScheduleConfig schedule = config.schedule() != null ? config.schedule() : new ConstantSchedule();
        LearningRateScheduler scheduler = schedule.create(baseRate);
        EarlyStoppingConfig stopping = config.earlyStopping();
        if (stopping != null && validator == null) {
            throw new IllegalArgumentException("training.earlyStopping needs a validation split (data.split)");
        }
        if (schedule.needsValidation() && validator == null) {
            throw new IllegalArgumentException("training.schedule " + schedule + " reads validation metrics: it needs a "
                    + "validation split (data.split)");
        }
        int startEpoch = 0;
        List<Double> rates = new ArrayList<>();
        int bestEpoch = 0;
        double bestValue = Double.NaN;
        int sinceImprovement = 0;
        boolean stoppedEarly = false;
        if (resumeFrom != null) {
            if (resumeFrom.seed() != config.seed()) {
                throw new IllegalArgumentException("the checkpoint was trained with seed " + resumeFrom.seed()
                        + " but training.seed is " + config.seed() + ": a resumed run must keep its seed");
            }
            startEpoch = resumeFrom.epochsCompleted();
            rates.addAll(resumeFrom.learningRates());
            bestEpoch = resumeFrom.bestEpoch();
            bestValue = resumeFrom.bestValue();
            sinceImprovement = resumeFrom.epochsWithoutImprovement();
            stoppedEarly = resumeFrom.stoppedEarly();
            if (resumeFrom.scheduleState() != null) {
                scheduler.restore(resumeFrom.scheduleState());
            }
            // epochs.csv may hold a row of an epoch whose checkpoint was never completed: rewrite it from the state.
            epochLog.restore(resumeFrom.history());
            epochLog.rewrite();
            LOG.info("resuming after epoch {} of {}{}", startEpoch, config.epochs(),
                    stoppedEarly ? " (the run had stopped early: nothing left to train)" : "");
        }
        BatchStatistics statistics = new BatchStatistics();
        GracefulStop stop = new GracefulStop(checkpoints, resumeCommand, System.err);
        network.model().addListeners(statistics);
        if (!extraListeners.isEmpty()) {
            network.model().addListeners(extraListeners.toArray(new TrainingListener[0]));
        }
        try {
            for (int epoch = startEpoch; epoch < config.epochs() && !stoppedEarly; epoch++) {
                double rate = scheduler.rateFor(epoch);
                LearningRates.set(network, rate);
                rates.add(rate);
                long started = System.nanoTime();
                stop.at(String.format(Locale.ROOT, "during epoch %d of %d", epoch + 1, config.epochs()));
                EpochFitter.EpochResult fitted;
                if (epochFitter == null) {
                    trainEpoch(network, trainData, statistics, epoch, rate, stop);
                    fitted = new EpochFitter.EpochResult(statistics.meanLoss(), statistics.accuracy());
                } else {
                    fitted = epochFitter.fitEpoch(network, trainData, epoch, rate);
                }
                Validator.ValidationResult validation = validator == null ? Validator.ValidationResult.NONE
                        : validator.validate(network);
                scheduler.epochEnded(epoch, validation);
                double seconds = (System.nanoTime() - started) / 1e9;
                EpochRecord record = new EpochRecord(epoch + 1, rate, fitted.meanLoss(), fitted.accuracy(),
                        validation.loss(), validation.top1(), validation.top5(), seconds);
                if (testEvaluator != null) {
                    // After the schedule and the seconds, and never read below: the test split chooses nothing.
                    Validator.ValidationResult test = testEvaluator.validate(network);
                    record = record.withTest(new EpochRecord.SplitScores(test.loss(), test.top1(), test.top5()));
                }
                epochLog.append(record);
                boolean improved = false;
                if (stopping != null) {
                    double value = validation.metric(stopping.monitor());
                    double delta = stopping.minDeltaOrZero();
                    improved = !Double.isNaN(value) && (Double.isNaN(bestValue) || (stopping.lowerIsBetter()
                            ? value < bestValue - delta : value > bestValue + delta));
                } else if (validator != null) {
                    improved = !Double.isNaN(validation.loss())
                            && (Double.isNaN(bestValue) || validation.loss() < bestValue);
                }
                if (improved) {
                    bestEpoch = epoch + 1;
                    bestValue = stopping != null ? validation.metric(stopping.monitor()) : validation.loss();
                    sinceImprovement = 0;
                } else {
                    sinceImprovement++;
                }
                if (stopping != null && sinceImprovement >= stopping.patience() && epoch + 1 < config.epochs()) {
                    LOG.info("early stopping: {} has not improved for {} epochs (best {} at epoch {})",
                            stopping.monitor(), sinceImprovement, bestValue, bestEpoch);
                    stoppedEarly = true;
                }
                TrainingState state = new TrainingState(epoch + 1, rates, bestEpoch, bestValue, sinceImprovement,
                        scheduler.state(), config.seed(), epochLog.records(), stoppedEarly);
                checkpoints.save(network, state, improved);
                LOG.info(summary(record, config.epochs()));
            }
        } finally {
            network.model().setListeners(new ArrayList<>());
            stop.close();
        }
        ClassifierNetwork result = network;
        if (stopping != null && stopping.restoreBestOrDefault() && checkpoints.best().isPresent()
                && bestEpoch != epochLog.records().size()) {
            LOG.info("restoring the best model (epoch {}); the last one stays in {}", bestEpoch, checkpoints.directory());
            result = CheckpointStore.readModel(checkpoints.best().get(), false);
        }
        return new TrainingOutcome(result, epochLog.records(), bestEpoch, stoppedEarly);
    }

    private void trainEpoch(ClassifierNetwork network, ImageSetIterator trainData, BatchStatistics statistics,
                            int epoch, double rate, GracefulStop stop) {
        trainData.startEpoch(epoch);
        // Dropout and other random layers draw from ND4J's generator: reseed per epoch so a resumed run repeats it.
        // (ND4J's native generator seeded with 0 draws differently on every run: never give it 0.)
        long seed = config.seed() * 1_000_003L + epoch;
        Nd4j.getRandom().setSeed(seed != 0 ? seed : 0x9E3779B97F4A7C15L);
        network.setEpochCount(epoch);
        statistics.startEpoch(hasMixup(trainData));
        int batches = trainData.batchesPerEpoch();
        AsyncDataSetIterator async = new AsyncDataSetIterator(trainData, 2, true);
        try (TrainingProgress progress = new TrainingProgress(
                String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, config.epochs()), batches, interactive)) {
            int batch = 0;
            while (async.hasNext()) {
                if (stop.requested()) {
                    throw new TrainingStoppedException(epoch + 1, batch);
                }
                DataSet data = async.next();
                network.fit(data);
                batch++;
                double loss = statistics.lastLoss();
                if (!Double.isFinite(loss) || !Double.isFinite(network.score())) {
                    throw new DivergenceException(epoch + 1, batch, rate, "loss is " + loss);
                }
                if (!Double.isFinite(network.params().sumNumber().doubleValue())) {
                    throw new DivergenceException(epoch + 1, batch, rate, "a parameter is NaN or infinite");
                }
                progress.step(batch, (int) data.numExamples(), statistics.meanLoss(), statistics.accuracy(), rate);
            }
        } finally {
            async.shutdown();
        }
    }

    private static boolean hasMixup(ImageSetIterator data) {
        return data.hasMixedLabels();
    }

    static String summary(EpochRecord r, int totalEpochs) {
        String line = String.format(Locale.ROOT,
                "epoch %d/%d  lr %.3g  train loss %.4f acc %s  val loss %s top1 %s top5 %s  %.1fs",
                r.epoch(), totalEpochs, r.learningRate(), r.trainLoss(), fraction(r.trainAccuracy()),
                Double.isNaN(r.validationLoss()) ? "-" : String.format(Locale.ROOT, "%.4f", r.validationLoss()),
                fraction(r.validationTop1()), fraction(r.validationTop5()), r.seconds());
        if (r.test() != null) {
            line += String.format(Locale.ROOT, "  [test, curves only: loss %.4f top1 %s top5 %s]", r.testLoss(),
                    fraction(r.testTop1()), fraction(r.testTop5()));
        }
        return line;
    }

    private static String fraction(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }
}
