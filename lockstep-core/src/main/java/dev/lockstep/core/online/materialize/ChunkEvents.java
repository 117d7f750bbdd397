package dev.lockstep.core.online.materialize;

import dev.lockstep.core.online.state.EntityKeys;

import dev.lockstep.api.ValueType;
import dev.lockstep.api.definition.Source;
import dev.lockstep.engine.event.IndexSort;
import dev.lockstep.spi.EntityKey;
import dev.lockstep.spi.offline.RowBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline events of one hash chunk of entities, held column by column: times, sequences and a
 * dense entity id as primitive arrays and each column the views read as a typed array, so a chunk
 * of millions of events costs tens of bytes per event rather than a boxed row each.
 *
 * <p>An event belongs to chunk {@code c} of {@code k} when {@code floorMod(mix(hash(key)), k) ==
 * c}, where the hash is the key value's own ({@link String#hashCode}, {@link Long#hashCode}, {@link
 * List#hashCode} for composite keys): specified by the JDK, so a resumed run puts every entity in
 * the chunk an interrupted run did.
 *
 * <p>Mutable, not thread-safe.
 */
public final class ChunkEvents {
  private final Source source;
  private final int[] keyPositions;
  /** Per column read, in scan order: its position among the source's columns. */
  private final int[] positions;
  private final ValueType[] types;
  private final Map<Object, Integer> entityIds = new HashMap<>();
  private final List<Object> keys = new ArrayList<>();
  private int size;
  private int[] entities = new int[1024];
  private long[] eventTimes = new long[1024];
  private long[] ingestTimes = new long[1024];
  private long[] sequences = new long[1024];
  private final Object[] columns;
  private final BitSet[] nulls;

  /**
   * @param columns the source columns read, key columns first, in the order a batch holds them
   */
  public ChunkEvents(Source source, List<String> columns) {
    this.source = source;
    this.keyPositions = EntityKeys.keyPositions(source);
    this.positions = new int[columns.size()];
    this.types = new ValueType[columns.size()];
    this.columns = new Object[columns.size()];
    this.nulls = new BitSet[columns.size()];
    for (int c = 0; c < positions.length; c++) {
      String name = columns.get(c);
      positions[c] = source.columns().indexOf(source.column(name).orElseThrow());
      types[c] = source.columns().get(positions[c]).type();
      this.columns[c] = switch (types[c]) {
        case LONG -> new long[1024];
        case DOUBLE -> new double[1024];
        case STRING -> new String[1024];
      };
      nulls[c] = new BitSet();
    }
  }

  /** The entity key value of {@code row}: its one key column's value, or a list; null if a part is null. */
  public Object key(RowBatch batch, int row) {
    if (keyPositions.length == 1) {
      return batch.value(0, row);
    }
    List<Object> parts = new ArrayList<>(keyPositions.length);
    for (int k = 0; k < keyPositions.length; k++) {
      Object part = batch.value(k, row);
      if (part == null) {
        return null;
      }
      parts.add(part);
    }
    return parts;
  }

  /** The chunk of {@code chunks} that entity key value {@code key} belongs to. */
  public static int chunkOf(Object key, int chunks) {
    long mixed = key.hashCode() * 0x9E3779B97F4A7C15L;
    return (int) Math.floorMod(mixed ^ (mixed >>> 29), (long) chunks);
  }

  /** Adds row {@code row} of {@code batch}, an event of entity {@code key}. */
  public void add(RowBatch batch, int row, Object key) {
    if (size == eventTimes.length) {
      grow();
    }
    Integer id = entityIds.get(key);
    if (id == null) {
      id = keys.size();
      entityIds.put(key, id);
      keys.add(key);
    }
    entities[size] = id;
    eventTimes[size] = batch.eventTimes()[row];
    ingestTimes[size] = batch.ingestTimes()[row];
    sequences[size] = batch.sequences()[row];
    for (int c = 0; c < positions.length; c++) {
      if (batch.isNull(c, row)) {
        nulls[c].set(size);
        continue;
      }
      switch (types[c]) {
        case LONG -> ((long[]) columns[c])[size] = batch.longs(c)[row];
        case DOUBLE -> ((double[]) columns[c])[size] = batch.doubles(c)[row];
        case STRING -> ((String[]) columns[c])[size] = batch.strings(c)[row];
      }
    }
    size++;
  }

  private void grow() {
    int capacity = size * 2;
    entities = Arrays.copyOf(entities, capacity);
    eventTimes = Arrays.copyOf(eventTimes, capacity);
    ingestTimes = Arrays.copyOf(ingestTimes, capacity);
    sequences = Arrays.copyOf(sequences, capacity);
    for (int c = 0; c < columns.length; c++) {
      columns[c] = switch (types[c]) {
        case LONG -> Arrays.copyOf((long[]) columns[c], capacity);
        case DOUBLE -> Arrays.copyOf((double[]) columns[c], capacity);
        case STRING -> Arrays.copyOf((String[]) columns[c], capacity);
      };
    }
  }

  public int size() {
    return size;
  }

  public int entityCount() {
    return keys.size();
  }

  /** The events ordered by entity, then event time, ingest time and sequence (docs/architecture.md, "Semantics"). */
  public int[] sortedOrder() {
    int[] order = IndexSort.identity(size);
    IndexSort.sort(order, (left, right) -> {
      int byEntity = Integer.compare(entities[left], entities[right]);
      if (byEntity != 0) {
        return byEntity;
      }
      int byTime = Long.compare(eventTimes[left], eventTimes[right]);
      if (byTime != 0) {
        return byTime;
      }
      int byIngest = Long.compare(ingestTimes[left], ingestTimes[right]);
      return byIngest != 0 ? byIngest : Long.compare(sequences[left], sequences[right]);
    });
    return order;
  }

  public int entity(int event) {
    return entities[event];
  }

  public long eventTime(int event) {
    return eventTimes[event];
  }

  public long ingestTime(int event) {
    return ingestTimes[event];
  }

  public long sequence(int event) {
    return sequences[event];
  }

  /** Puts the event's values at their source positions in {@code values}; columns not read stay null. */
  public void values(int event, Object[] values) {
    for (int c = 0; c < positions.length; c++) {
      Object value = null;
      if (!nulls[c].get(event)) {
        value = switch (types[c]) {
          case LONG -> ((long[]) columns[c])[event];
          case DOUBLE -> ((double[]) columns[c])[event];
          case STRING -> ((String[]) columns[c])[event];
        };
      }
      values[positions[c]] = value;
    }
  }

  /** The stored key of entity {@code entity}, as the streaming runtime writes it. */
  public EntityKey entityKey(int entity) {
    Object key = keys.get(entity);
    Object[] values = new Object[source.columns().size()];
    if (keyPositions.length == 1) {
      values[keyPositions[0]] = key;
    } else {
      List<?> parts = (List<?>) key;
      for (int k = 0; k < keyPositions.length; k++) {
        values[keyPositions[k]] = parts.get(k);
      }
    }
    return EntityKeys.ofEvent(source, keyPositions, values);
  }
}
