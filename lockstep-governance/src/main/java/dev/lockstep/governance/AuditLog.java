package dev.lockstep.governance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lockstep.api.LockstepException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit trail: an append-only file of entries (time, principal, action, resource, outcome,
 * request id), each chained to the previous one by SHA-256, with entries signed by Ed25519 (the
 * JDK's) every {@code checkpointEvery} entries, when the log is opened and when it is closed.
 *
 * <p><b>Format</b> ({@code audit.jsonl}, one JSON object per line, version 1): {@code seq} from 1,
 * {@code time}, {@code principal}, {@code action}, {@code resource}, {@code outcome}, {@code
 * request_id}, {@code prev} (the previous entry's hash; 64 zeros for the first), {@code hash} =
 * SHA-256 of {@code prev} and the entry's fields, and on checkpoints {@code signature} = Ed25519 of
 * the hash. The key pair lives in {@code audit.key} and {@code audit.pub} beside the file.
 *
 * <p><b>What {@link #verify} detects</b>: an edited entry (its hash), a deleted or reordered one
 * (sequence and chain), a forged checkpoint (signature), entries appended after the log was closed
 * (anything after a {@code log.closed} checkpoint but a signed {@code log.opened}), and a log that
 * ends after its last signature (a killed process, or appended entries). It cannot detect the
 * removal of a whole tail that ends on a {@code log.closed} checkpoint: anchor checkpoints
 * elsewhere for that. After a killed process, the next {@link #open} seals the unsigned tail with a
 * signed {@code log.opened} entry whose outcome says how many entries it found unsealed (and drops a
 * torn last line), so a crash never stops the server and never goes unrecorded.
 *
 * <p>Thread-safe: appends are serialized.
 */
public final class AuditLog implements AutoCloseable {
  /** The log file in the audit directory. */
  public static final String FILE = "audit.jsonl";
  static final String PRIVATE_KEY = "audit.key";
  static final String PUBLIC_KEY = "audit.pub";
  static final String OPENED = "log.opened";
  static final String CLOSED = "log.closed";
  private static final String ZERO = "0".repeat(64);
  private static final JsonFactory JSON = new JsonFactory();

  /** One entry as written. */
  public record Entry(long seq, Instant time, String principal, String action, String resource, String outcome,
      String requestId, String prev, String hash, Optional<String> signature) {}

  /** The result of {@link #verify}: entries checked, and the first problem with its line, if any. */
  public record Verification(long entries, long signatures, Optional<String> problem) {
    public boolean ok() {
      return problem.isEmpty();
    }
  }

  private final Path file;
  private final OutputStream out;
  private final PrivateKey key;
  private final int checkpointEvery;
  private final Clock clock;
  private long seq;
  private String last;
  private boolean closed;

  private AuditLog(Path file, OutputStream out, PrivateKey key, int checkpointEvery, Clock clock, long seq, String last) {
    this.file = file;
    this.out = out;
    this.key = key;
    this.checkpointEvery = checkpointEvery;
    this.clock = clock;
    this.seq = seq;
    this.last = last;
  }

  /**
   * Opens the log in {@code directory} (created with a new key pair if missing) and appends a
   * signed {@code log.opened} entry.
   *
   * @throws LockstepException if the existing log does not verify: a process must not append to a
   *     log that was tampered with (run lockstep audit verify)
   */
  public static AuditLog open(Path directory, int checkpointEvery) {
    return open(directory, checkpointEvery, Clock.systemUTC());
  }

  static AuditLog open(Path directory, int checkpointEvery, Clock clock) {
    try {
      Files.createDirectories(directory);
      PrivateKey key = keys(directory);
      Path file = directory.resolve(FILE);
      long seq = 0;
      String last = ZERO;
      String opened = "ok";
      if (Files.exists(file)) {
        String torn = dropTornLine(file);
        List<Entry> entries = read(file);
        Verification verification = check(entries, publicKey(directory), true);
        if (!verification.ok()) {
          throw new LockstepException("Cannot open the audit log " + file + ": " + verification.problem().get()
              + " (run lockstep audit verify; keep the file as evidence and move it aside to start a new log)");
        }
        long unsealed = 0;
        for (int i = entries.size() - 1; i >= 0 && entries.get(i).signature().isEmpty(); i--) {
          unsealed++;
        }
        if (unsealed > 0 || torn != null) {
          // the previous process was killed: say so in the signed entry that seals what it left
          opened = "resumed after " + unsealed + " unsealed entries" + (torn == null ? "" : " and a torn last line");
        }
        if (!entries.isEmpty()) {
          seq = entries.get(entries.size() - 1).seq();
          last = entries.get(entries.size() - 1).hash();
        }
      }
      OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      AuditLog log = new AuditLog(file, out, key, Math.max(1, checkpointEvery), clock, seq, last);
      log.write("lockstep", OPENED, file.getFileName().toString(), opened, "-", true);
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the audit log in " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Appends an entry; every {@code checkpointEvery} entries one is signed. */
  public synchronized Entry append(String principal, String action, String resource, String outcome, String requestId) {
    if (closed) {
      throw new IllegalStateException("Cannot audit " + action + ": the audit log is closed");
    }
    return write(principal, action, resource, outcome, requestId, false);
  }

  /** Entries written by this process and before it. */
  public synchronized long entries() {
    return seq;
  }

  private Entry write(String principal, String action, String resource, String outcome, String requestId,
      boolean sign) {
    long next = seq + 1;
    Instant time = clock.instant();
    boolean signed = sign || next % checkpointEvery == 0;
    String hash = hash(last, next, time, principal, action, resource, outcome, requestId);
    Optional<String> signature = signed ? Optional.of(sign(key, hash)) : Optional.empty();
    Entry entry = new Entry(next, time, principal, action, resource, outcome, requestId, last, hash, signature);
    try {
      out.write(line(entry));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot append to the audit log " + file + ": " + e.getMessage(), e);
    }
    seq = next;
    last = hash;
    return entry;
  }

  /** Appends a signed {@code log.closed} entry and closes the file. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    write("lockstep", CLOSED, file.getFileName().toString(), "ok", "-", true);
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks the log in {@code directory} from its first entry to its last, with its public key.
   *
   * @param open whether a process still appends to it (then it may end after its last signature)
   */
  public static Verification verify(Path directory, boolean open) {
    Path file = directory.resolve(FILE);
    List<Entry> entries;
    try {
      entries = read(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the audit log " + file + ": " + e.getMessage(), e);
    } catch (LockstepException e) {
      return new Verification(0, 0, Optional.of(e.getMessage()));
    }
    return check(entries, publicKey(directory), open);
  }

  /** The entries of the log in {@code directory}, oldest first. */
  public static List<Entry> list(Path directory) {
    try {
      return read(directory.resolve(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the audit log in " + directory + ": " + e.getMessage(), e);
    }
  }

  private static Verification check(List<Entry> entries, PublicKey key, boolean open) {
    String prev = ZERO;
    long signatures = 0;
    long lastSigned = 0;
    boolean afterClose = false;
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      String where = "line " + (i + 1) + " (seq " + entry.seq() + ")";
      if (entry.seq() != i + 1) {
        return problem(i, signatures, where + ": expected seq " + (i + 1) + " (an entry was deleted, inserted or moved)");
      }
      if (!entry.prev().equals(prev)) {
        return problem(i, signatures, where + ": it does not follow the entry before it (an entry was deleted or moved)");
      }
      String hash = hash(entry.prev(), entry.seq(), entry.time(), entry.principal(), entry.action(), entry.resource(),
          entry.outcome(), entry.requestId());
      if (!hash.equals(entry.hash())) {
        return problem(i, signatures, where + ": its content does not match its hash (the entry was edited)");
      }
      if (entry.signature().isPresent()) {
        if (!verifySignature(key, entry.hash(), entry.signature().get())) {
          return problem(i, signatures, where + ": its signature does not verify (a forged checkpoint)");
        }
        signatures++;
        lastSigned = entry.seq();
      }
      if (afterClose && !(entry.action().equals(OPENED) && entry.signature().isPresent())) {
        return problem(i, signatures, where + ": an entry after the log was closed that no signed log.opened precedes"
            + " (appended after the fact)");
      }
      afterClose = entry.action().equals(CLOSED) && entry.signature().isPresent();
      prev = entry.hash();
    }
    long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).seq();
    if (!open && last > lastSigned) {
      return problem(entries.size(), signatures, "the log ends " + (last - lastSigned) + " entries after its last"
          + " signature at seq " + lastSigned + " (a process was killed, or entries were appended)");
    }
    return new Verification(entries.size(), signatures, Optional.empty());
  }

  private static Verification problem(long entries, long signatures, String problem) {
    return new Verification(entries, signatures, Optional.of(problem));
  }

  static String hash(String prev, long seq, Instant time, String principal, String action, String resource,
      String outcome, String requestId) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      String canonical = String.join("\u0000", prev, Long.toString(seq), time.toString(), principal, action, resource,
          outcome, requestId);
      return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] line(Entry entry) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeNumberField("seq", entry.seq());
      json.writeStringField("time", entry.time().toString());
      json.writeStringField("principal", entry.principal());
      json.writeStringField("action", entry.action());
      json.writeStringField("resource", entry.resource());
      json.writeStringField("outcome", entry.outcome());
      json.writeStringField("request_id", entry.requestId());
      json.writeStringField("prev", entry.prev());
      json.writeStringField("hash", entry.hash());
      if (entry.signature().isPresent()) {
        json.writeStringField("signature", entry.signature().get());
      }
      json.writeEndObject();
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  /**
   * Cuts a last line without its newline (a write torn by a kill) off the file; returns it, or
   * null when the file ends with a whole line.
   */
  private static String dropTornLine(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0 || bytes[bytes.length - 1] == '\n') {
      return null;
    }
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(end);
      channel.force(true);
    }
    return new String(bytes, end, bytes.length - end, StandardCharsets.UTF_8);
  }

  private static List<Entry> read(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (!Files.exists(file)) {
      return entries;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      try (JsonParser json = JSON.createParser(lines.get(i))) {
        if (json.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException("not an object");
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String name = json.currentName();
          json.nextToken();
          fields.put(name, json.getText());
        }
        entries.add(new Entry(Long.parseLong(required(fields, "seq")), Instant.parse(required(fields, "time")),
            required(fields, "principal"), required(fields, "action"), required(fields, "resource"),
            required(fields, "outcome"), required(fields, "request_id"), required(fields, "prev"),
            required(fields, "hash"), Optional.ofNullable(fields.get("signature"))));
      } catch (IOException | RuntimeException e) {
        throw new LockstepException("line " + (i + 1) + " of " + file + " is not an audit entry (" + e.getMessage() + ")");
      }
    }
    return entries;
  }

  private static String required(Map<String, String> fields, String name) throws IOException {
    String value = fields.get(name);
    if (value == null) {
      throw new IOException("no '" + name + "'");
    }
    return value;
  }

  private static PrivateKey keys(Path directory) throws IOException {
    Path privateFile = directory.resolve(PRIVATE_KEY);
    try {
      if (!Files.exists(privateFile)) {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(directory.resolve(PUBLIC_KEY), Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        Files.writeString(privateFile, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        return pair.getPrivate();
      }
      return KeyFactory.getInstance("Ed25519").generatePrivate(
          new PKCS8EncodedKeySpec(Base64.getDecoder().decode(Files.readString(privateFile).trim())));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new LockstepException("Cannot use the audit signing key " + privateFile + ": " + e.getMessage());
    }
  }

  private static PublicKey publicKey(Path directory) {
    Path file = directory.resolve(PUBLIC_KEY);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(
          new X509EncodedKeySpec(Base64.getDecoder().decode(Files.readString(file).trim())));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new LockstepException("Cannot read the audit log's public key " + file + ": " + e.getMessage());
    }
  }

  private static String sign(PrivateKey key, String hash) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      signature.update(hash.getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot sign an audit checkpoint: " + e.getMessage(), e);
    }
  }

  private static boolean verifySignature(PublicKey key, String hash, String signature) {
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(hash.getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
