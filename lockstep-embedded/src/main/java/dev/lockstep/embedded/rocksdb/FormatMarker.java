package dev.lockstep.embedded.rocksdb;

import dev.lockstep.api.CorruptDataException;
import dev.lockstep.spi.BackendException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The format marker of an online store: key {@value Database#FORMAT_KEY} in the default column
 * family, holding the format version as decimal text. A database is opened only if it holds this
 * code's version, or is empty and gets the marker.
 */
final class FormatMarker {
  private FormatMarker() {}

  /**
   * Checks the marker of the open database {@code db} (column family handles in the order of {@link
   * Database#FAMILIES}), or writes it, synced and flushed, into an empty database.
   *
   * @throws CorruptDataException if the marker holds another version, or is missing from a database
   *     that holds data
   */
  static void check(Path directory, RocksDB db, List<ColumnFamilyHandle> handles) {
    ColumnFamilyHandle defaultFamily = handles.get(0);
    try {
      byte[] marker = db.get(defaultFamily, Database.bytes(Database.FORMAT_KEY));
      if (marker != null) {
        checkVersion(directory, marker);
        return;
      }
      for (ColumnFamilyHandle handle : handles) {
        if (!isEmpty(db, handle)) {
          throw notAStore(directory, List.of());
        }
      }
      try (WriteOptions synced = new WriteOptions().setSync(true);
          FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        db.put(
            defaultFamily,
            synced,
            Database.bytes(Database.FORMAT_KEY),
            Database.bytes(Integer.toString(Database.FORMAT_VERSION)));
        // In a table file at once, so no write-ahead log file is kept alive for it.
        db.flush(flush, defaultFamily);
      }
    } catch (RocksDBException e) {
      throw new BackendException(
          "Cannot open the online store at "
              + directory
              + ": checking its format marker failed: "
              + e.getMessage()
              + " ("
              + Database.hint(e, directory)
              + ")",
          e);
    }
  }

  /** Whether {@code families} are exactly this format's column families. */
  static boolean isOurs(List<byte[]> families) {
    if (families.size() != Database.FAMILIES.size()) {
      return false;
    }
    for (byte[] family : families) {
      if (Database.FAMILIES.stream().noneMatch(ours -> Arrays.equals(ours, family))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Looks, read-only, into an existing database whose column families are not this format's, before
   * opening it for writing would add ours (and break its owner's next open): only an empty
   * database, left by a process that died while creating the store, may be adopted.
   *
   * @throws CorruptDataException if it holds data, other column families or a marker
   */
  static void inspectForeign(
      Path directory, List<byte[]> families, ColumnFamilyOptions columnOptions) {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (byte[] name : families) {
      descriptors.add(new ColumnFamilyDescriptor(name, columnOptions));
      names.add(new String(name, StandardCharsets.UTF_8));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB readOnly =
            RocksDB.openReadOnly(options, directory.toString(), descriptors, handles)) {
      byte[] marker = readOnly.get(handles.get(0), Database.bytes(Database.FORMAT_KEY));
      if (marker != null) {
        checkVersion(directory, marker);
      }
      boolean empty = true;
      for (ColumnFamilyHandle handle : handles) {
        empty &= isEmpty(readOnly, handle);
      }
      if (marker != null || !empty || !names.equals(List.of("default"))) {
        throw notAStore(directory, names);
      }
    } catch (RocksDBException e) {
      throw Database.openFailure(directory, e);
    }
  }

  private static void checkVersion(Path directory, byte[] marker) {
    String version = new String(marker, StandardCharsets.UTF_8);
    if (!version.equals(Integer.toString(Database.FORMAT_VERSION))) {
      throw new CorruptDataException(
          "Cannot open the online store at "
              + directory
              + ": it is in format '"
              + Database.FORMAT_KEY
              + "' version "
              + printable(version)
              + ", this Lockstep reads version "
              + Database.FORMAT_VERSION
              + " (upgrade Lockstep, or move the directory away and rebuild the online store)");
    }
  }

  private static CorruptDataException notAStore(Path directory, List<String> families) {
    return new CorruptDataException(
        "Cannot open the online store at "
            + directory
            + ": it holds a RocksDB database that is not a Lockstep online store"
            + (families.isEmpty() ? "" : ", with column families " + families)
            + " (give the online store a directory of its own)");
  }

  private static boolean isEmpty(RocksDB db, ColumnFamilyHandle family) {
    try (RocksIterator iterator = db.newIterator(family)) {
      iterator.seekToFirst();
      return !iterator.isValid();
    }
  }

  private static String printable(String text) {
    String shown = text.length() > 20 ? text.substring(0, 20) + "..." : text;
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
