package io.github.dl4jclassics.training.ui;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DL4J's training UI (live loss, update ratios, histograms) for one run, reachable only from this machine.
 *
 * <p>DL4J 1.0.0-M2.1's {@code VertxUIServer} has no bind-address setting: it calls
 * {@code vertx.createHttpServer().listen(port, handler)}, which Vert.x 3.9 binds to {@code 0.0.0.0}. This class deploys
 * the unchanged DL4J verticle (all its routes and modules) with a Vert.x handle whose HTTP servers bind to
 * {@code 127.0.0.1}: every {@code listen(port[, handler])} is rewritten to {@code listen(port, "127.0.0.1"[, handler])}
 * and any other {@code listen} overload (one that names its own address) is refused. After the start it also checks
 * that the port does not answer on any non-loopback address of the machine. Either failure stops the server and
 * throws: the UI never stays up on a public interface.
 */
public final class TrainingUi implements AutoCloseable {

    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = VertxUIServer.DEFAULT_UI_PORT;
    /** Statistics are collected every this many iterations (histograms every iteration are costly on large nets). */
    public static final int DEFAULT_FREQUENCY = 5;

    private static final Logger LOG = LoggerFactory.getLogger(TrainingUi.class);
    private static final long START_TIMEOUT_SECONDS = 60;

    private final VertxUIServer server;
    private final InMemoryStatsStorage storage;
    private final int frequency;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TrainingUi(VertxUIServer server, InMemoryStatsStorage storage, int frequency) {
        this.server = server;
        this.storage = storage;
        this.frequency = frequency;
    }

    /** {@code port} when it is one the UI can listen on (0: any free port); otherwise an error naming {@code --ui-port}. */
    public static int checkedPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("--ui-port must be between 0 (any free port) and 65535, got " + port);
        }
        return port;
    }

    /** Starts the UI on 127.0.0.1:{@code port} (0: any free port) with statistics every {@value #DEFAULT_FREQUENCY} iterations. */
    public static TrainingUi start(int port) {
        return start(port, DEFAULT_FREQUENCY);
    }

    /**
     * Starts the UI on 127.0.0.1:{@code port} (0: any free port).
     *
     * @throws IllegalStateException when it cannot start, or cannot be sure it is reachable from this machine only
     */
    public static synchronized TrainingUi start(int port, int frequency) {
        checkedPort(port);
        if (frequency < 1) {
            throw new IllegalArgumentException("the statistics frequency must be at least 1, got " + frequency);
        }
        VertxUIServer running = VertxUIServer.getInstance();
        if (running != null && !running.isStopped()) {
            throw new IllegalStateException("a DL4J UI server is already running in this process at " + running.getAddress());
        }
        Vertx vertx = Vertx.vertx();
        LoopbackUiServer verticle = new LoopbackUiServer(port);
        CompletableFuture<String> deployed = new CompletableFuture<>();
        vertx.deployVerticle(verticle, result -> {
            if (result.succeeded()) {
                deployed.complete(result.result());
            } else {
                deployed.completeExceptionally(result.cause());
            }
        });
        try {
            deployed.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(vertx);
            throw new IllegalStateException("interrupted while starting the training UI", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(vertx);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("could not start the training UI on " + LOOPBACK + ":" + port + ": "
                    + rootMessage(cause), cause);
        }
        TrainingUi ui = new TrainingUi(verticle, new InMemoryStatsStorage(), frequency);
        try {
            if (!verticle.boundToLoopback()) {
                throw new IllegalStateException("the DL4J UI server did not listen through the loopback-only path");
            }
            List<InetAddress> exposed = reachableOnOtherAddresses(ui.port());
            if (!exposed.isEmpty()) {
                throw new IllegalStateException("the DL4J UI answered on " + exposed + ", not only on " + LOOPBACK);
            }
        } catch (RuntimeException e) {
            ui.close();
            throw new IllegalStateException("refusing to run the training UI: " + e.getMessage(), e);
        }
        verticle.attach(ui.storage);
        return ui;
    }

    /** The listener to add to the network: it feeds the UI. */
    public TrainingListener listener() {
        return new StatsListener(storage, frequency);
    }

    public int port() {
        return server.getPort();
    }

    public String url() {
        return "http://" + LOOPBACK + ":" + port() + "/train/overview";
    }

    /** Stops the server and its Vert.x threads; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (VertxUIServer.getInstance() == server) {
                VertxUIServer.stopInstance();
            } else {
                server.stop();
            }
        } catch (Exception e) {
            LOG.warn("could not stop the training UI cleanly: {}", e.getMessage());
        }
        try {
            storage.close();
        } catch (IOException e) {
            LOG.debug("closing the in-memory stats storage: {}", e.getMessage());
        }
    }

    /** Non-loopback addresses of this machine on which {@code port} accepts connections (should be none). */
    static List<InetAddress> reachableOnOtherAddresses(int port) {
        List<InetAddress> reachable = new ArrayList<>();
        for (InetAddress address : nonLoopbackAddresses()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 500);
                reachable.add(address);
            } catch (IOException expected) {
                // refused or unreachable: what we want
            }
        }
        return reachable;
    }

    /** The addresses of this machine's interfaces that are up, except loopback ones. */
    public static List<InetAddress> nonLoopbackAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (!address.isLoopbackAddress()) {
                        addresses.add(address);
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("cannot list the network interfaces: {}", e.getMessage());
        }
        return addresses;
    }

    private static void closeQuietly(Vertx vertx) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.close(result -> done.complete(null));
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("closing Vert.x: {}", e.getMessage());
        }
        VertxUIServer running = VertxUIServer.getInstance();
        if (running != null && !running.isStopped()) {
            try {
                VertxUIServer.stopInstance();
            } catch (Exception e) {
                LOG.debug("resetting the DL4J UI: {}", e.getMessage());
            }
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    /**
     * DL4J's UI verticle, unchanged, given a Vert.x handle whose HTTP servers listen on 127.0.0.1:{@code port} only.
     */
    static final class LoopbackUiServer extends VertxUIServer {

        private final int port;
        private final AtomicBoolean boundToLoopback = new AtomicBoolean();

        LoopbackUiServer(int port) {
            this.port = port;
        }

        boolean boundToLoopback() {
            return boundToLoopback.get();
        }

        @Override
        public void init(Vertx vertx, Context context) {
            super.init(loopbackOnly(vertx), context);
        }

        private Vertx loopbackOnly(Vertx real) {
            InvocationHandler handler = (proxy, method, args) -> {
                Object result = invoke(real, method, args);
                if (method.getName().equals("createHttpServer") && result instanceof HttpServer) {
                    return loopbackOnly((HttpServer) result);
                }
                return result;
            };
            return (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), new Class<?>[] {Vertx.class}, handler);
        }

        private HttpServer loopbackOnly(HttpServer real) {
            HttpServer[] self = new HttpServer[1];
            InvocationHandler handler = (proxy, method, args) -> {
                Object result;
                if (method.getName().equals("listen")) {
                    result = listenOnLoopback(real, method, args);
                } else {
                    result = invoke(real, method, args);
                }
                return result == real ? self[0] : result;
            };
            self[0] = (HttpServer) Proxy.newProxyInstance(HttpServer.class.getClassLoader(),
                    new Class<?>[] {HttpServer.class}, handler);
            return self[0];
        }

        @SuppressWarnings("unchecked")
        private Object listenOnLoopback(HttpServer real, Method method, Object[] args) {
            Class<?>[] types = method.getParameterTypes();
            if (types.length == 1 && types[0] == int.class) {
                boundToLoopback.set(true);
                return real.listen(port, LOOPBACK);
            }
            if (types.length == 2 && types[0] == int.class && types[1] == Handler.class) {
                boundToLoopback.set(true);
                return real.listen(port, LOOPBACK, (Handler<AsyncResult<HttpServer>>) args[1]);
            }
            // Any other overload chooses its own address: fail closed rather than guess.
            throw new IllegalStateException("unexpected HttpServer." + method.getName() + List.of(types)
                    + " in the DL4J UI: cannot guarantee a loopback-only bind");
        }

        private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
