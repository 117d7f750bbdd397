package dev.lockstep.redis;

import dev.lockstep.spi.EntityKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The Redis keys of one namespace (see {@code docs/redis.md}):
 *
 * <ul>
 *   <li>values: {@code <namespace>:v:{<entity key as lower-case hex>}:<view>};
 *   <li>checkpoints: {@code <namespace>:cp:<consumer>};
 *   <li>the format marker: {@code <namespace>:format}.
 * </ul>
 *
 * <p>The braces are a Redis Cluster hash tag: only the entity's hex is hashed, so every view of one
 * entity lands on one slot. The hex has no {@code '}'}, so a value key parses back unambiguously
 * whatever bytes the view name holds; namespaces are restricted to {@value #NAMESPACE_CHARACTERS}
 * so that no namespace's keys look like another's.
 */
final class KeyLayout {
  /** The format name written into the marker; a new layout gets a new version, not a new name. */
  static final String FORMAT = "lockstep.redis-online-store";

  static final int FORMAT_VERSION = 1;

  /** What the marker key holds. */
  static final String MARKER = FORMAT + " " + FORMAT_VERSION;

  static final String NAMESPACE_CHARACTERS = "letters, digits, '.', '_' and '-'";

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]+");
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** Suffixes are cached for at most this many view names; a deployment has far fewer views. */
  private static final int MAX_CACHED_SUFFIXES = 4096;

  private final String namespace;
  private final byte[] valuePrefix;
  private final byte[] checkpointPrefix;
  private final byte[] formatKey;
  private final ConcurrentHashMap<String, byte[]> suffixes = new ConcurrentHashMap<>();

  /**
   * @throws IllegalArgumentException if {@code namespace} is not a valid namespace
   */
  KeyLayout(String namespace) {
    if (!isValidNamespace(namespace)) {
      throw new IllegalArgumentException("Cannot use namespace '" + namespace + "'");
    }
    this.namespace = namespace;
    this.valuePrefix = ascii(namespace + ":v:{");
    this.checkpointPrefix = ascii(namespace + ":cp:");
    this.formatKey = ascii(namespace + ":format");
  }

  static boolean isValidNamespace(String namespace) {
    return NAMESPACE.matcher(namespace).matches();
  }

  String namespace() {
    return namespace;
  }

  byte[] formatKey() {
    return formatKey;
  }

  /** What value keys of {@code view} end with: {@code "}:"} and the view's UTF-8 bytes. */
  byte[] suffix(String view) {
    byte[] suffix = suffixes.get(view);
    if (suffix == null) {
      byte[] name = view.getBytes(StandardCharsets.UTF_8);
      suffix = new byte[name.length + 2];
      suffix[0] = '}';
      suffix[1] = ':';
      System.arraycopy(name, 0, suffix, 2, name.length);
      if (suffixes.size() < MAX_CACHED_SUFFIXES) {
        suffixes.put(view, suffix);
      }
    }
    return suffix;
  }

  /** The value key of {@code key} in the view whose {@link #suffix} is {@code suffix}. */
  byte[] valueKey(byte[] suffix, EntityKey key) {
    byte[] entity = key.bytes();
    byte[] result = new byte[valuePrefix.length + 2 * entity.length + suffix.length];
    System.arraycopy(valuePrefix, 0, result, 0, valuePrefix.length);
    int position = valuePrefix.length;
    for (byte b : entity) {
      result[position++] = HEX[(b >> 4) & 0xF];
      result[position++] = HEX[b & 0xF];
    }
    System.arraycopy(suffix, 0, result, position, suffix.length);
    return result;
  }

  /** {@code <namespace>:lease:<lease>}. */
  byte[] leaseKey(String lease) {
    return (namespace + ":lease:" + lease).getBytes(StandardCharsets.UTF_8);
  }

  byte[] checkpointKey(String consumer) {
    byte[] name = consumer.getBytes(StandardCharsets.UTF_8);
    byte[] result = Arrays.copyOf(checkpointPrefix, checkpointPrefix.length + name.length);
    System.arraycopy(name, 0, result, checkpointPrefix.length, name.length);
    return result;
  }

  /**
   * A {@code SCAN MATCH} pattern that every value key of the view with {@code suffix} matches. It
   * may match keys of other views too (a view name may contain the glob's own characters or {@code
   * "}:"}), so each key found must still pass {@link #isValueKey}.
   */
  byte[] scanPattern(byte[] suffix) {
    byte[] result = Arrays.copyOf(valuePrefix, valuePrefix.length + 1 + 2 * suffix.length);
    int position = valuePrefix.length;
    result[position++] = '*';
    for (byte b : suffix) {
      if (b == '*' || b == '?' || b == '[' || b == ']' || b == '\\') {
        result[position++] = '\\';
      }
      result[position++] = b;
    }
    return Arrays.copyOf(result, position);
  }

  /** Whether {@code key} is a value key of the view with {@code suffix}, of some entity. */
  boolean isValueKey(byte[] key, byte[] suffix) {
    int hexLength = key.length - valuePrefix.length - suffix.length;
    if (hexLength < 2
        || hexLength % 2 != 0
        || !Arrays.equals(key, 0, valuePrefix.length, valuePrefix, 0, valuePrefix.length)
        || !Arrays.equals(key, key.length - suffix.length, key.length, suffix, 0, suffix.length)) {
      return false;
    }
    for (int i = valuePrefix.length; i < valuePrefix.length + hexLength; i++) {
      byte b = key[i];
      if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
