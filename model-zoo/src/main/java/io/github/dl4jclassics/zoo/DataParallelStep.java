package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.FastPath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One SGD step of a {@link MultiLayerNetwork} with its batch split across the cores (issue 11): each share's gradient
 * is computed by its own replica of the network on its own thread, every replica reading the same parameter array,
 * then the gradients are summed and the network's own updater applies one update for the whole batch.
 *
 * <p>Why: a small network (LeNet-5: ~60 native operations of a few microseconds each per step) spends its time in
 * DL4J's per-operation Java work, which a second OpenMP thread cannot share; two Java threads each driving half of
 * the batch on one native thread can. The result is the full-batch step: DL4J's losses return summed gradients and
 * the updater divides by the whole batch's size, so only the order of a float sum differs.
 *
 * <p>Only for networks whose layers treat examples independently: batch normalisation's statistics would change
 * with the share size, so {@link #supports} refuses such networks (and masks, and batches too small to split).
 * Dropout in a replica draws from its thread's ND4J generator, seeded from the caller's generator every step, so a
 * seeded run is repeatable. Training listeners see every share in a fixed order (the caller's share first); the
 * step's score is the batch-weighted mean of the shares' scores, as the whole batch's would be.
 */
final class DataParallelStep implements AutoCloseable {

    private final MultiLayerNetwork network;
    private final int shares;
    private final ExecutorService workers;
    private final List<Replica> replicas = new ArrayList<>();

    private DataParallelStep(MultiLayerNetwork network, int shares) {
        this.network = network;
        this.shares = shares;
        ThreadFactory daemons = runnable -> {
            Thread thread = new Thread(runnable, "data-parallel-step");
            thread.setDaemon(true);
            return thread;
        };
        this.workers = Executors.newFixedThreadPool(shares - 1, daemons);
    }

    /**
     * A step that splits each batch into {@code shares} (at least 2) for {@code network}. The calling thread computes
     * the first share and should run ND4J with one native thread ({@link FastPath#setThreads}); the worker threads
     * set one native thread for themselves.
     */
    static DataParallelStep create(MultiLayerNetwork network, int shares) {
        if (shares < 2) {
            throw new IllegalArgumentException("a data-parallel step needs at least 2 shares, got " + shares);
        }
        if (!supports(network)) {
            throw new IllegalArgumentException("this network cannot split its batches: it has batch normalisation");
        }
        return new DataParallelStep(network, shares);
    }

    int shares() {
        return shares;
    }

    /** Whether splitting a batch leaves the step's mathematics unchanged: no layer mixes examples (batch norm). */
    static boolean supports(MultiLayerNetwork network) {
        for (var conf : network.getLayerWiseConfigurations().getConfs()) {
            if (conf.getLayer() instanceof BatchNormalization) {
                return false;
            }
        }
        return true;
    }

    /** One optimisation step on {@code batch}, equal to {@code network.fit(batch)} up to float summation order. */
    void fit(DataSet batch) {
        INDArray features = batch.getFeatures();
        INDArray labels = batch.getLabels();
        long n = features.size(0);
        if (n < shares || batch.getFeaturesMaskArray() != null || batch.getLabelsMaskArray() != null) {
            network.fit(batch);
            return;
        }
        ensureReplicas();
        long[] starts = new long[shares + 1];
        for (int i = 0; i <= shares; i++) {
            starts[i] = n * i / shares;
        }
        int iteration = network.getIterationCount();
        int epoch = network.getEpochCount();
        List<TrainingListener> listeners = new ArrayList<>(network.getListeners());
        // One latch per share: share i's listeners run once share i - 1's have (a fixed order, one at a time).
        CountDownLatch[] reported = new CountDownLatch[shares];
        for (int i = 0; i < shares; i++) {
            reported[i] = new CountDownLatch(1);
        }
        List<Future<Double>> pending = new ArrayList<>();
        for (int i = 1; i < shares; i++) {
            Replica replica = replicas.get(i - 1);
            INDArray x = rows(features, starts[i], starts[i + 1]);
            INDArray y = rows(labels, starts[i], starts[i + 1]);
            long seed = Nd4j.getRandom().nextLong();
            CountDownLatch before = reported[i - 1];
            CountDownLatch after = reported[i];
            pending.add(workers.submit(() -> replica.gradient(x, y, seed, iteration, epoch, listeners, before, after)));
        }
        double weightedScore;
        try {
            network.setInput(rows(features, starts[0], starts[1]));
            network.setLabels(rows(labels, starts[0], starts[1]));
            network.computeGradientAndScore();
            weightedScore = network.score() * (starts[1] - starts[0]);
        } catch (RuntimeException | Error e) {
            reported[0].countDown();
            awaitQuietly(pending);
            throw e;
        }
        reported[0].countDown();
        INDArray gradient = network.getGradientsViewArray();
        try {
            for (int i = 1; i < shares; i++) {
                double score;
                try {
                    score = pending.get(i - 1).get();
                } catch (ExecutionException e) {
                    awaitQuietly(pending);
                    throw e;
                }
                weightedScore += score * (starts[i + 1] - starts[i]);
                gradient.addi(replicas.get(i - 1).network.getGradientsViewArray());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a share of the batch", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a share of the batch failed: " + cause, cause);
        }
        network.setScore(weightedScore / n);

        // What StochasticGradientDescent.optimize does after the gradient, with the whole batch's size.
        Gradient full = network.gradient();
        for (TrainingListener listener : listeners) {
            listener.onGradientCalculation(network);
        }
        Updater updater = network.getUpdater();
        updater.update(network, full, iteration, epoch, (int) n, LayerWorkspaceMgr.noWorkspaces());
        // As StochasticGradientDescent's step function: both as vectors (views; the parameters may be [n] or [1, n]).
        INDArray params = network.params();
        params.reshape(params.length()).subi(gradient.reshape(gradient.length()));
        for (TrainingListener listener : listeners) {
            listener.iterationDone(network, iteration, epoch);
        }
        BaseOptimizer.incrementIterationCount(network, 1);
        BaseOptimizer.applyConstraints(network);
        network.clearLayersStates();
        for (Replica replica : replicas) {
            replica.network.clearLayersStates();
        }
    }

    /** Lets the other shares finish before an error propagates, so no replica still runs when the caller goes on. */
    private static void awaitQuietly(List<Future<Double>> pending) {
        for (Future<Double> future : pending) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException ignored) {
                // the caller's own error is the one reported
            }
        }
    }

    private static INDArray rows(INDArray array, long from, long to) {
        // A contiguous copy: the layers' native calls then see a plain array, not an offset view.
        return array.get(NDArrayIndex.interval(from, to)).dup();
    }

    /** (Re)builds the replicas when missing or when the network's parameter array was replaced. */
    private void ensureReplicas() {
        INDArray params = network.params();
        if (replicas.size() == shares - 1 && replicas.get(0).network.params() == params) {
            return;
        }
        replicas.clear();
        for (int i = 1; i < shares; i++) {
            MultiLayerNetwork copy = new MultiLayerNetwork(network.getLayerWiseConfigurations().clone());
            copy.init(params, false);
            replicas.add(new Replica(copy));
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** A copy of the network reading the same parameters, with its own gradient, activations and workspaces. */
    private static final class Replica {
        private final MultiLayerNetwork network;
        private boolean threadReady;

        Replica(MultiLayerNetwork network) {
            this.network = network;
        }

        /** Runs on a worker thread: this share's gradient (in the replica's gradient view) and score. */
        double gradient(INDArray x, INDArray y, long seed, int iteration, int epoch, Collection<TrainingListener> listeners,
                CountDownLatch before, CountDownLatch after) throws InterruptedException {
            try {
                if (!threadReady) {
                    FastPath.setThreads(1);
                    threadReady = true;
                }
                Nd4j.getRandom().setSeed(seed);
                network.setIterationCount(iteration);
                network.setEpochCount(epoch);
                if (listeners.isEmpty()) {
                    network.setListeners(new ArrayList<>());
                } else {
                    network.setListeners(new OrderedListeners(listeners, before));
                }
                network.setInput(x);
                network.setLabels(y);
                network.computeGradientAndScore();
                before.await();
                return network.score();
            } finally {
                after.countDown();
            }
        }
    }

    /**
     * Hands a replica's backward pass (its output layer holding the share's input and labels) to the caller's
     * listeners once the previous share has reported: listeners such as the training statistics are not thread-safe,
     * and their sums should not depend on timing. Forward passes are not reported: waiting there would serialise
     * the shares.
     */
    private static final class OrderedListeners extends BaseTrainingListener {
        private final Collection<TrainingListener> listeners;
        private final CountDownLatch previousReported;

        OrderedListeners(Collection<TrainingListener> listeners, CountDownLatch previousReported) {
            this.listeners = listeners;
            this.previousReported = previousReported;
        }

        @Override
        public void onBackwardPass(Model model) {
            awaitTurn();
            for (TrainingListener listener : listeners) {
                listener.onBackwardPass(model);
            }
        }

        private void awaitTurn() {
            try {
                previousReported.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to report a share of the batch", e);
            }
        }
    }
}
