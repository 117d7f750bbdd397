package dev.lockstep.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.spi.BackendConfig;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
  private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule"
      + " required username=\"alice\" password=\"s3cr3t-pw\";";

  private final SecretMask mask = new SecretMask(BackendConfig.of("kafka", Map.of(
      "kafka.sasl.jaas.config", JAAS, "kafka.ssl.truststore.password", "changeit",
      "kafka.security.protocol", "SASL_SSL")).withSecretKeys(KafkaEventLogFactory.SECRET_KEYS));

  @Test
  void theWordsOfAJaasEntryThatCarryValuesAreSecret() {
    assertThat(SecretMask.secretWords(JAAS)).containsExactly("alice", "s3cr3t-pw");
    assertThat(SecretMask.secretWords("not a JAAS entry")).containsExactly("not", "a", "JAAS",
        "entry");
  }

  @Test
  void secretValuesAreMaskedWholeAndInPartsButNotInsideOtherWords() {
    assertThat(mask.apply("config " + JAAS + " failed")).isEqualTo("config **** failed");
    assertThat(mask.apply("Value 's3cr3t-pw' for alice; truststore changeit"))
        .isEqualTo("Value '****' for ****; truststore ****");
    assertThat(mask.apply("malice and alice2 and SASL_SSL and ScramLoginModule required"))
        .isEqualTo("malice and alice2 and SASL_SSL and ScramLoginModule required");
  }

  @Test
  void withoutSecretsTextIsUnchanged() {
    SecretMask none = new SecretMask(BackendConfig.of("kafka", Map.of("topic", "payments"))
        .withSecretKeys(Set.of()));
    assertThat(none.apply("topic payments is missing")).isEqualTo("topic payments is missing");
  }
}
