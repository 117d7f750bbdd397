package dev.lockstep.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackendConfigTest {
  private static BackendConfig config(String... keysAndValues) {
    Map<String, String> properties = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return BackendConfig.of("redis", properties);
  }

  @Test
  void readsStringsWithAndWithoutDefaults() {
    BackendConfig config = config("host", "localhost");

    assertThat(config.string("host")).contains("localhost");
    assertThat(config.string("port")).isEmpty();
    assertThat(config.string("host", "other")).isEqualTo("localhost");
    assertThat(config.string("port", "6379")).isEqualTo("6379");
    assertThat(config.required("host")).isEqualTo("localhost");
  }

  @Test
  void readsTypedValuesAndFallsBackToDefaults() {
    BackendConfig config =
        config("port", " 6380 ", "max-bytes", "10000000000", "tls", "TRUE", "timeout", "5s");

    assertThat(config.intValue("port", 6379)).isEqualTo(6380);
    assertThat(config.intValue("pool", 8)).isEqualTo(8);
    assertThat(config.longValue("max-bytes", 0)).isEqualTo(10_000_000_000L);
    assertThat(config.longValue("min-bytes", 7)).isEqualTo(7);
    assertThat(config.booleanValue("tls", false)).isTrue();
    assertThat(config.booleanValue("cluster", true)).isTrue();
    assertThat(config.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.duration("idle", Duration.ofMinutes(3))).isEqualTo(Duration.ofMinutes(3));
  }

  @ParameterizedTest
  @CsvSource({
    "100ms, PT0.1S",
    "5s, PT5S",
    "2m, PT2M",
    "1h, PT1H",
    "1d, PT24H",
    "0s, PT0S",
    "'10 S', PT10S",
    "1500MS, PT1.5S"
  })
  void parsesDurationsWithAUnit(String text, String expected) {
    assertThat(config("timeout", text).duration("timeout", null))
        .isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "-5s", "1.5s", "5 seconds", "PT5S", "s", ""})
  void rejectsMalformedDurationsOnOneLine(String text) {
    assertThatThrownBy(() -> config("timeout", text).duration("timeout", Duration.ZERO))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'redis': property 'timeout' must be a duration, got '"
                + text
                + "' (write a number and a unit: 100ms, 5s, 2m, 1h or 1d)");
  }

  @Test
  void rejectsADurationTooLongToRepresent() {
    assertThatThrownBy(
            () -> config("timeout", "99999999999999999999d").duration("timeout", Duration.ZERO))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessageEndingWith("(this one is too long to represent)");
  }

  @Test
  void rejectsMalformedNumbersAndBooleans() {
    assertThatThrownBy(() -> config("port", "63o9").intValue("port", 6379))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'redis': property 'port' must be an integer, got '63o9' "
                + "(write a whole number, e.g. 8)");
    assertThatThrownBy(() -> config("port", "3000000000").intValue("port", 6379))
        .hasMessageContaining("property 'port' must be an integer, got '3000000000'");
    assertThatThrownBy(() -> config("max-bytes", "lots").longValue("max-bytes", 0))
        .hasMessageContaining("property 'max-bytes' must be an integer, got 'lots'");
    assertThatThrownBy(() -> config("tls", "yes").booleanValue("tls", false))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage(
            "Cannot configure backend 'redis': property 'tls' must be a boolean, got 'yes' "
                + "(write true or false)");
  }

  @Test
  void keepsErrorsOnOneLineWhenTheValueSpansLines() {
    assertThatThrownBy(() -> config("port", "63\n79").intValue("port", 6379))
        .hasMessage(
            "Cannot configure backend 'redis': property 'port' must be an integer, got '63 79' "
                + "(write a whole number, e.g. 8)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void requiresAPresentNonBlankValue(String blank) {
    String expected =
        "Cannot configure backend 'redis': property 'uri' is required but not set "
            + "(set it in the redis properties)";
    assertThatThrownBy(() -> config().required("uri"))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage(expected);
    assertThatThrownBy(() -> config("uri", blank).required("uri")).hasMessage(expected);
  }

  @Test
  void recognisesSecretKeysByName() {
    BackendConfig config = config();

    assertThat(config.isSecret("password")).isTrue();
    assertThat(config.isSecret("sasl.Password")).isTrue();
    assertThat(config.isSecret("client-secret")).isTrue();
    assertThat(config.isSecret("auth.token")).isTrue();
    assertThat(config.isSecret("gcs.credentials-file")).isTrue();
    assertThat(config.isSecret("host")).isFalse();
    assertThat(config.isSecret("api-key")).isFalse();
    assertThat(config.withSecretKeys(List.of("api-key")).isSecret("api-key")).isTrue();
  }

  @Test
  void masksSecretsInToString() {
    BackendConfig config =
        config("host", "localhost", "password", "hunter22", "api-key", "k-1")
            .withSecretKeys(List.of("api-key"));

    assertThat(config)
        .hasToString(
            "BackendConfig{backend=redis, properties={api-key=****, host=localhost,"
                + " password=****}}");
  }

  @Test
  void masksSecretsInErrors() {
    BackendConfig config = config("auth.token", "abc-secret-value", "pin", "12x4");

    assertThatThrownBy(() -> config.intValue("auth.token", 0))
        .hasMessage(
            "Cannot configure backend 'redis': property 'auth.token' must be an integer, "
                + "got '****' (write a whole number, e.g. 8)");
    assertThatThrownBy(() -> config.withSecretKeys(List.of("pin")).intValue("pin", 0))
        .hasMessageContaining("got '****'")
        .hasMessageNotContaining("12x4");
  }

  @Test
  void redactsSecretValuesFromOtherText() {
    BackendConfig config = config("password", "hunter22", "host", "db1");

    assertThat(config.redact("auth failed for db1 with hunter22"))
        .isEqualTo("auth failed for db1 with ****");
  }

  @Test
  void copiesThePropertiesAndKeepsThemReadOnly() {
    Map<String, String> properties = new HashMap<>(Map.of("b", "2", "a", "1"));
    BackendConfig config = BackendConfig.of("redis", properties);
    properties.put("c", "3");

    assertThat(config.properties()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThatThrownBy(() -> config.properties().put("d", "4"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsANullValue() {
    Map<String, String> properties = new HashMap<>();
    properties.put("host", null);

    assertThatThrownBy(() -> BackendConfig.of("redis", properties))
        .isExactlyInstanceOf(BackendConfigException.class)
        .hasMessage("Cannot configure backend 'redis': property 'host' has no value");
  }
}
