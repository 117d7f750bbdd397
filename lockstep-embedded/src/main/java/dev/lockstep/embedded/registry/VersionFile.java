package dev.lockstep.embedded.registry;

import dev.lockstep.api.CorruptDataException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bytes of one registry version file, a JSON object that names its format and holds the
 * version, its commit time and the document:
 *
 * <pre>
 * {"format": "lockstep.file-registry", "version": 1, "registry_version": 3, "committed_at": "2024-05-01T10:00:00.123Z",
 *  "document": &lt;the document bytes, verbatim&gt;}
 * </pre>
 *
 * The document is embedded verbatim when it is UTF-8 text starting with {@code {} or {@code [} (a
 * JSON document, as the registry writes), and otherwise as {@code "document_base64": "..."}. The
 * first line is the header; the document is everything after its key up to the closing {@code }\n},
 * so it is read back byte for byte without parsing it.
 */
final class VersionFile {
  static final String FORMAT = "lockstep.file-registry";
  static final int VERSION = 1;
  private static final Pattern HEADER = Pattern.compile("\\{\"format\": \"([^\"]*)\", \"version\":"
      + " (\\d+), \"registry_version\": (\\d+), \"committed_at\": \"([^\"]+)\",");
  private static final byte[] VERBATIM = "\n \"document\": ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BASE64 =
      "\n \"document_base64\": \"".getBytes(StandardCharsets.US_ASCII);

  /** A decoded file. */
  record Contents(long version, Instant committedAt, byte[] document) {}

  private VersionFile() {}

  static byte[] encode(long version, Instant committedAt, byte[] document) {
    String header = "{\"format\": \"" + FORMAT + "\", \"version\": " + VERSION
        + ", \"registry_version\": " + version + ", \"committed_at\": \"" + committedAt + "\",";
    boolean verbatim = isJsonText(document);
    byte[] body = verbatim ? document
        : Base64.getEncoder().encode(document);
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    byte[] key = verbatim ? VERBATIM : BASE64;
    byte[] tail = (verbatim ? "}\n" : "\"}\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer file = ByteBuffer.allocate(head.length + key.length + body.length + tail.length);
    return file.put(head).put(key).put(body).put(tail).array();
  }

  /**
   * @param name the file's name, for messages
   * @throws CorruptDataException if the bytes are not a version file of this format version
   */
  static Contents decode(String name, byte[] file) {
    int newline = indexOf(file, (byte) '\n', 0);
    if (newline < 0) {
      throw corrupt(name, "it has no header line (is it truncated?)");
    }
    Matcher header = HEADER.matcher(new String(file, 0, newline, StandardCharsets.US_ASCII));
    if (!header.matches() || !header.group(1).equals(FORMAT)) {
      throw corrupt(name, "it is not a " + FORMAT + " file");
    }
    if (!header.group(2).equals(String.valueOf(VERSION))) {
      throw corrupt(name, "its format version " + header.group(2) + " is not " + VERSION
          + ", the one this Lockstep reads (upgrade Lockstep)");
    }
    Instant committedAt;
    long version;
    try {
      committedAt = Instant.parse(header.group(4));
      version = Long.parseLong(header.group(3));
    } catch (DateTimeParseException | NumberFormatException e) {
      throw corrupt(name, "its header is malformed");
    }
    byte[] rest = Arrays.copyOfRange(file, newline, file.length);
    if (rest.length >= VERBATIM.length + 2 && startsWith(rest, VERBATIM)
        && endsWith(rest, "}\n")) {
      return new Contents(version, committedAt,
          Arrays.copyOfRange(rest, VERBATIM.length, rest.length - 2));
    }
    if (rest.length >= BASE64.length + 3 && startsWith(rest, BASE64)
        && endsWith(rest, "\"}\n")) {
      try {
        return new Contents(version, committedAt, Base64.getDecoder().decode(
            Arrays.copyOfRange(rest, BASE64.length, rest.length - 3)));
      } catch (IllegalArgumentException e) {
        throw corrupt(name, "its document is not valid base64");
      }
    }
    throw corrupt(name, "its document is not framed as expected (is it truncated?)");
  }

  private static boolean isJsonText(byte[] document) {
    if (document.length == 0 || (document[0] != '{' && document[0] != '[')) {
      return false;
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(document));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static int indexOf(byte[] bytes, byte wanted, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static boolean endsWith(byte[] bytes, String suffix) {
    byte[] tail = suffix.getBytes(StandardCharsets.US_ASCII);
    return bytes.length >= tail.length && Arrays.equals(
        bytes, bytes.length - tail.length, bytes.length, tail, 0, tail.length);
  }

  private static CorruptDataException corrupt(String name, String problem) {
    return new CorruptDataException("Cannot read registry version file " + name + ": " + problem);
  }
}
