package dev.lockstep.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerArgumentsTest {
  private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

  @Test
  void defaultsAreTheWorkingDirectoryAndTheStandardPort() {
    assertThat(parse()).isEqualTo(Map.of("--dir", ".lockstep-kafka", "--port", "9092"));
  }

  @Test
  void optionsTakeTheNextArgumentOrAnEqualsSign() {
    assertThat(parse("--dir", "/tmp/k", "--port=0")).isEqualTo(Map.of("--dir", "/tmp/k", "--port", "0"));
  }

  @Test
  void mistakesPrintOneLineAndTheUsage() {
    assertThat(parse("--port", "abc")).isNull();
    assertThat(parse("--dir")).isNull();
    assertThat(parse("--verbose")).isNull();
    assertThat(errors.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "kafka-broker: --port must be a port number 0..65535, got 'abc'; usage: kafka-broker"
            + " [--dir DIR] [--port PORT] (defaults: --dir .lockstep-kafka --port 9092)",
        "kafka-broker: --dir needs a value; usage: kafka-broker [--dir DIR] [--port PORT]"
            + " (defaults: --dir .lockstep-kafka --port 9092)",
        "kafka-broker: unknown argument '--verbose'; usage: kafka-broker [--dir DIR]"
            + " [--port PORT] (defaults: --dir .lockstep-kafka --port 9092)");
  }

  private Map<String, String> parse(String... args) {
    return BrokerArguments.parse(args, new PrintStream(errors, true, StandardCharsets.UTF_8));
  }
}
