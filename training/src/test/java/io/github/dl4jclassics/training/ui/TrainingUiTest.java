package io.github.dl4jclassics.training.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.VertxUIServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** DL4J's UI on a free port of 127.0.0.1, fed by a tiny network; never on another address; nothing left running. */
class TrainingUiTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    @Test
    @Timeout(120)
    void servesLiveTrainingStatisticsOnLoopbackOnly() throws Exception {
        int port;
        try (TrainingUi ui = TrainingUi.start(0, 1)) {
            port = ui.port();
            assertThat(port).isPositive();
            assertThat(ui.url()).isEqualTo("http://127.0.0.1:" + port + "/train/overview");

            MultiLayerNetwork network = tinyNetwork();
            network.addListeners(ui.listener());
            for (int batch = 0; batch < 5; batch++) {
                network.fit(new DataSet(Nd4j.rand(8, 4), Nd4j.eye(2).repeat(0, 4)));
            }

            assertThat(get(port, "/").statusCode()).isEqualTo(200);
            HttpResponse<String> overview = get(port, "/train/overview");
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).containsIgnoringCase("<html");
            // The UI routes stats events every 500 ms: wait (bounded) until it knows the session of this network.
            String session = "";
            for (int tries = 0; tries < 40 && session.isBlank(); tries++) {
                session = get(port, "/train/sessions/current").body();
                if (session.isBlank()) {
                    Thread.sleep(250);
                }
            }
            assertThat(session).as("the UI received the listener's statistics").isNotBlank();
            HttpResponse<String> data = get(port, "/train/overview/data");
            assertThat(data.statusCode()).isEqualTo(200);
            assertThat(data.body()).contains("scores");

            List<InetAddress> others = TrainingUi.nonLoopbackAddresses();
            for (InetAddress address : others) {
                assertThat(connects(address, port)).as("UI reachable on %s", address).isFalse();
            }
            assertThat(TrainingUi.reachableOnOtherAddresses(port)).isEmpty();
        }
        assertThat(connects(InetAddress.getByName("127.0.0.1"), port)).as("stopped after close").isFalse();
        VertxUIServer left = VertxUIServer.getInstance();
        assertThat(left == null || left.isStopped()).isTrue();
    }

    @Test
    @Timeout(60)
    void portInUseFailsAndLeavesNothingRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            assertThatThrownBy(() -> TrainingUi.start(taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
        VertxUIServer left = VertxUIServer.getInstance();
        assertThat(left == null || left.isStopped()).isTrue();
        // and a new one starts afterwards
        try (TrainingUi ui = TrainingUi.start(0)) {
            assertThat(get(ui.port(), "/train/overview").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatThrownBy(() -> TrainingUi.start(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrainingUi.start(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrainingUi.start(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static MultiLayerNetwork tinyNetwork() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(new Sgd(0.1))
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
