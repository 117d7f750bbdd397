package dev.lockstep.engine.codec;

import dev.lockstep.api.CorruptDataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;

/**
 * The frame around every stored engine value: a header that names the format and its version, the
 * body, and a CRC32 footer over both.
 *
 * <pre>
 *   int    MAGIC (0x4C53544B, "LSTK")
 *   UTF    format name, e.g. "lockstep.partial"
 *   int    format version
 *   ...    body
 *   int    CRC32 of every byte before it
 * </pre>
 */
public final class Framing {
  public static final int MAGIC = 0x4C53544B;

  /** Writes a body after the header. */
  @FunctionalInterface
  public interface BodyWriter {
    void write(DataOutputStream out) throws IOException;
  }

  /** Reads a body after the header; the version is the one stored. */
  @FunctionalInterface
  public interface BodyReader<T> {
    T read(DataInputStream in, int version) throws IOException;
  }

  private Framing() {}

  public static byte[] write(String format, int version, BodyWriter body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeUTF(format);
      out.writeInt(version);
      body.write(out);
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return bytes.toByteArray();
  }

  /**
   * A description for error messages that is only built when a message needs it: {@code what}
   * arguments are concatenated into messages, never read on the success path.
   */
  public static Object lazily(java.util.function.Supplier<String> description) {
    return new Object() {
      @Override
      public String toString() {
        return description.get();
      }
    };
  }

  /**
   * Checks the frame and reads the body.
   *
   * @param what what the bytes should hold, for messages ("partial aggregate of sum(amount)"; its
   *     {@code toString} is only called for a message, see {@link #lazily})
   * @throws CorruptDataException if the bytes are too short, not Lockstep's, of another format, of
   *     an unknown version, damaged (checksum) or longer than their body
   */
  public static <T> T read(byte[] bytes, Object what, String format, int maxVersion, BodyReader<T> body) {
    if (bytes.length < 4 + 2 + 4 + 4) {
      throw new CorruptDataException("Cannot read " + what + ": only " + bytes.length
          + " bytes, too short to hold a header (the stored value is truncated; rebuild it)");
    }
    int storedCrc = ((bytes[bytes.length - 4] & 0xFF) << 24) | ((bytes[bytes.length - 3] & 0xFF) << 16)
        | ((bytes[bytes.length - 2] & 0xFF) << 8) | (bytes[bytes.length - 1] & 0xFF);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4));
    try {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new CorruptDataException("Cannot read " + what + ": the bytes are not a Lockstep value (magic 0x"
            + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
      }
      String storedFormat = in.readUTF();
      if (!storedFormat.equals(format)) {
        throw new CorruptDataException("Cannot read " + what + ": the bytes hold format '" + storedFormat
            + "', not '" + format + "' (read them with the matching codec)");
      }
      int version = in.readInt();
      if (version > maxVersion) {
        throw new CorruptDataException("Cannot read " + what + ": " + format + " version " + version
            + " is newer than this Lockstep reads (up to " + maxVersion + ") (upgrade Lockstep)");
      }
      if (version < 1) {
        throw new CorruptDataException("Cannot read " + what + ": " + format + " version " + version + " does not exist (the bytes are damaged)");
      }
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, bytes.length - 4);
      if ((int) crc.getValue() != storedCrc) {
        throw new CorruptDataException("Cannot read " + what + ": checksum mismatch (the stored bytes are damaged or truncated; rebuild them)");
      }
      T value = body.read(in, version);
      if (in.available() > 0) {
        throw new CorruptDataException("Cannot read " + what + ": " + in.available() + " unexpected bytes after the body (the bytes are damaged)");
      }
      return value;
    } catch (EOFException truncated) {
      throw new CorruptDataException("Cannot read " + what + ": the bytes end early (the stored value is truncated; rebuild it)", truncated);
    } catch (IOException | RuntimeException failure) {
      if (failure instanceof CorruptDataException corrupt) {
        throw corrupt;
      }
      throw new CorruptDataException("Cannot read " + what + ": the bytes are damaged (" + failure.getMessage() + ")", failure);
    }
  }
}
