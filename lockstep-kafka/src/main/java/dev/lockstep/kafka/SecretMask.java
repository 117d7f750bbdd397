package dev.lockstep.kafka;

import dev.lockstep.spi.BackendConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks a backend's secret property values in text, whole and in parts. Kafka quotes pieces of a
 * secret in its errors, e.g. {@code Invalid login module control flag '<token>' in JAAS config}, so
 * masking whole values ({@link BackendConfig#redact}) is not enough: every word of a secret value
 * is masked too, except the words of a JAAS entry's structure (the login module's class name, its
 * control flag, option names), which errors need and which are no secret.
 */
final class SecretMask {
  private static final Pattern WORD = Pattern.compile("([^\\s;=\"']+)(\\s*=)?");
  private static final Pattern CLASS_NAME =
      Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+");
  private static final Set<String> CONTROL_FLAGS =
      Set.of("required", "requisite", "sufficient", "optional");

  private final BackendConfig config;
  private final List<Pattern> words = new ArrayList<>();

  SecretMask(BackendConfig config) {
    this.config = config;
    for (Map.Entry<String, String> property : config.properties().entrySet()) {
      if (config.isSecret(property.getKey())) {
        secretWords(property.getValue()).forEach(word -> words.add(Pattern.compile(
            "(?<![\\w$.-])" + Pattern.quote(word) + "(?![\\w$-])")));
      }
    }
  }

  /** The words of {@code value} that may be secret. */
  static List<String> secretWords(String value) {
    List<String> secret = new ArrayList<>();
    Matcher matcher = WORD.matcher(value);
    boolean first = true;
    while (matcher.find()) {
      String word = matcher.group(1);
      boolean structure = matcher.group(2) != null // an option name
          || (first && CLASS_NAME.matcher(word).matches())
          || CONTROL_FLAGS.contains(word);
      if (!structure) {
        secret.add(word);
      }
      first = false;
    }
    return secret;
  }

  /** {@code text} with every secret value, and every word of one, replaced by {@code ****}. */
  String apply(String text) {
    String masked = config.redact(text);
    for (Pattern word : words) {
      masked = word.matcher(masked).replaceAll(Matcher.quoteReplacement(BackendConfig.MASK));
    }
    return masked;
  }
}
