package dev.lockstep.server;

import dev.lockstep.core.config.LimitsConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.LockstepException;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

class LockstepServerTest {
  @Test
  void pinsTheDefaults() {
    assertThat(LockstepServer.DEFAULT_HOST).isEqualTo("127.0.0.1");
    assertThat(LockstepServer.DEFAULT_PORT).isEqualTo(6566);
    assertThat(LimitsConfig.MAX_BODY_BYTES_DEFAULT).isEqualTo(16 * 1024 * 1024);
  }

  @Test
  void reportsTheEphemeralPortAndReleasesIt() throws Exception {
    int port;
    try (LockstepServer server = LockstepServer.builder().port(0).featureClient(new FakeFeatureClient()).build().start()) {
      port = server.port();
      assertThat(port).isPositive();
      assertThat(server.uri()).isEqualTo(URI.create("http://127.0.0.1:" + port));
      assertThatThrownBy(server::start).isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage("Cannot start the Lockstep server: it was started already");
    }
    try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void saysWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      LockstepServer server = LockstepServer.builder().port(taken.getLocalPort())
          .featureClient(new FakeFeatureClient()).build();

      assertThatThrownBy(server::start).isExactlyInstanceOf(LockstepException.class)
          .hasMessageStartingWith("Cannot start the Lockstep server on 127.0.0.1:" + taken.getLocalPort() + ": ")
          .hasMessageEndingWith("(stop the process using the port, or choose another port)");
      assertThatThrownBy(server::port).isExactlyInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void needsAFeatureClient() {
    assertThatThrownBy(() -> LockstepServer.builder().build()).isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot build the Lockstep server: no feature client (call featureClient(...))");
    assertThatThrownBy(() -> LockstepServer.builder().port(70_000)).isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot listen on port 70000: ports are 0 to 65535");
  }
}
