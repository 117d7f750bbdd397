package dev.lockstep.kafka;

import dev.lockstep.spi.AlreadyExistsException;
import dev.lockstep.spi.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics of an event log's streams: stream {@code s} is topic {@code <namespace>.s}. Topics
 * are created with the settings a source of truth needs (see {@link #TOPIC_CONFIGS}), and each
 * stream's partition count is remembered after its first lookup: Lockstep never changes the count
 * of a topic, and this log forgets it when it deletes the stream. Thread-safe.
 */
final class StreamTopics {
  private static final Pattern TOPIC_CHARACTERS = KafkaEventLogFactory.TOPIC_CHARACTERS;
  private static final int TOPIC_MAX_LENGTH = KafkaEventLogFactory.TOPIC_MAX_LENGTH;
  private static final long VISIBILITY_POLL_MILLIS = 20;

  private final KafkaClients clients;
  private final Admin admin;
  private final String prefix;
  private final short replicationFactor;
  private final Map<String, String> topicConfigs;
  private final ConcurrentHashMap<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  StreamTopics(KafkaClients clients, Admin admin, String namespace, short replicationFactor) {
    this.clients = clients;
    this.admin = admin;
    this.prefix = namespace + ".";
    this.replicationFactor = replicationFactor;
    this.topicConfigs = topicConfigs(replicationFactor);
  }

  /**
   * The configuration of a topic Lockstep creates: records are kept until Lockstep truncates them
   * (no retention by time or size), any timestamp is accepted and kept as written (the broker
   * neither rejects old or future ones nor replaces them by its clock), and an acknowledged write
   * is on a majority of the replicas (with {@code acks=all}); no unclean leader elections.
   */
  static Map<String, String> topicConfigs(short replicationFactor) {
    return Map.of(
        "cleanup.policy", "delete",
        "retention.ms", "-1",
        "retention.bytes", "-1",
        "message.timestamp.type", "CreateTime",
        "message.timestamp.before.max.ms", String.valueOf(Long.MAX_VALUE),
        "message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE),
        "min.insync.replicas", String.valueOf(replicationFactor / 2 + 1),
        "unclean.leader.election.enable", "false");
  }

  String topic(String stream) {
    return prefix + stream;
  }

  /** Whether {@code stream} makes a legal topic name. */
  boolean isLegal(String stream) {
    String topic = topic(stream);
    return !stream.isEmpty() && topic.length() <= TOPIC_MAX_LENGTH
        && TOPIC_CHARACTERS.matcher(topic).matches();
  }

  void create(String stream, int partitions) {
    if (!isLegal(stream)) {
      throw new IllegalArgumentException("Cannot create stream '" + stream + "': a stream name is"
          + " 1 to " + (TOPIC_MAX_LENGTH - prefix.length()) + " letters, digits, '.', '_' or '-'"
          + " in namespace '" + prefix.substring(0, prefix.length() - 1) + "' (rename it)");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("Cannot create stream '" + stream + "' with "
          + partitions + " partitions: a stream needs at least 1");
    }
    String topic = topic(stream);
    NewTopic newTopic = new NewTopic(topic, partitions, replicationFactor).configs(topicConfigs);
    try {
      clients.await(admin.createTopics(List.of(newTopic)).all());
    } catch (TopicExistsException e) {
      int existing = describe(stream, "create").partitions().size();
      if (existing != partitions) {
        throw new AlreadyExistsException("Cannot create stream '" + stream + "' with "
            + partitions + " partitions: topic '" + topic + "' exists with " + existing
            + " (use " + existing + ", or delete the stream first)");
      }
    } catch (InvalidReplicationFactorException e) {
      throw clients.failure("Cannot create stream '" + stream + "': " + clients.describe(e)
          + " (lower " + KafkaEventLogFactory.REPLICATION_FACTOR + ", now " + replicationFactor
          + ", or add brokers)", e);
    } catch (KafkaException e) {
      throw clients.failure("Cannot create stream '" + stream + "' as topic '" + topic + "' on "
          + clients.bootstrapServers() + ": " + clients.describe(e) + hint(e), e);
    }
    awaitLeaders(stream, partitions);
    try {
      // Leaders that serve: a broker's metadata may name it leader a moment before it accepts
      // writes, and an idempotent producer's first batches racing that moment can be refused
      // and later ones taken, after which the first are out of sequence for good.
      offsets(stream, partitions, OffsetSpec.latest());
    } catch (KafkaException e) {
      throw clients.failure("Cannot create stream '" + stream + "': topic '" + topic(stream)
          + "' was created but its leaders did not serve: " + clients.describe(e) + hint(e), e);
    }
    partitionCounts.put(stream, partitions);
  }

  /**
   * Each partition's offset by {@code spec}, in partition order, as a {@code read_committed}
   * consumer sees it: for {@link OffsetSpec#latest()} the last stable offset, never past the high
   * watermark.
   *
   * @throws KafkaException as the admin client fails
   */
  List<Long> offsets(String stream, int partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
    for (int partition = 0; partition < partitions; partition++) {
      request.put(new TopicPartition(topic(stream), partition), spec);
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer = clients.await(
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
    List<Long> offsets = new ArrayList<>(partitions);
    request.keySet().forEach(partition -> offsets.add(answer.get(partition).offset()));
    return offsets;
  }

  /**
   * Waits until the new topic's partitions all have a leader on the brokers, so that the next
   * call, which may go to any broker, finds it.
   */
  private void awaitLeaders(String stream, int partitions) {
    long deadline = System.nanoTime() + clients.timeout().toNanos();
    while (true) {
      TopicDescription description = tryDescribe(stream, "create");
      if (description != null && description.partitions().size() == partitions
          && description.partitions().stream().allMatch(partition -> partition.leader() != null)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw clients.failure("Cannot create stream '" + stream + "': topic '" + topic(stream)
            + "' was created but its partitions had no leader within "
            + clients.timeout().toMillis() + " ms (check the brokers' health)", null);
      }
      sleep(VISIBILITY_POLL_MILLIS);
    }
  }

  /** The names of every stream, sorted. */
  List<String> list() {
    return List.copyOf(new TreeSet<>(topicNames().stream().filter(name -> name.startsWith(prefix))
        .map(name -> name.substring(prefix.length())).toList()));
  }

  private Set<String> topicNames() {
    try {
      return clients.await(admin.listTopics().names());
    } catch (KafkaException e) {
      throw clients.failure("Cannot list the streams on " + clients.bootstrapServers() + ": "
          + clients.describe(e) + hint(e), e);
    }
  }

  /**
   * The partition count of {@code stream}, for an error message saying it cannot {@code
   * operation} the stream.
   *
   * @throws NotFoundException if there is no such stream
   */
  int partitions(String stream, String operation) {
    Integer known = partitionCounts.get(stream);
    if (known != null) {
      return known;
    }
    int count = describe(stream, operation).partitions().size();
    partitionCounts.put(stream, count);
    return count;
  }

  private TopicDescription describe(String stream, String operation) {
    TopicDescription description = isLegal(stream) ? tryDescribe(stream, operation) : null;
    if (description == null) {
      throw notFound(stream, operation);
    }
    return description;
  }

  /** The description of the stream's topic, or null if the broker that answered has none. */
  private TopicDescription tryDescribe(String stream, String operation) {
    String topic = topic(stream);
    try {
      return clients.await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    } catch (UnknownTopicOrPartitionException e) {
      return null;
    } catch (KafkaException e) {
      throw clients.failure("Cannot " + operation + " stream '" + stream + "': describing topic '"
          + topic + "' failed: " + clients.describe(e) + hint(e), e);
    }
  }

  /** Deletes the stream's topic and returns once no broker lists it any more. */
  void delete(String stream) {
    partitions(stream, "delete");
    String topic = topic(stream);
    try {
      clients.await(admin.deleteTopics(List.of(topic)).all());
    } catch (UnknownTopicOrPartitionException e) {
      throw notFound(stream, "delete");
    } catch (KafkaException e) {
      throw clients.failure("Cannot delete stream '" + stream + "' (topic '" + topic + "'): "
          + clients.describe(e) + hint(e) + "; retrying is safe", e);
    } finally {
      partitionCounts.remove(stream);
    }
    long deadline = System.nanoTime() + clients.timeout().toNanos();
    while (topicNames().contains(topic) && System.nanoTime() < deadline) {
      sleep(VISIBILITY_POLL_MILLIS);
    }
  }

  /** Forgets the partition count of {@code stream}, after a client said it does not exist. */
  void forget(String stream) {
    partitionCounts.remove(stream);
  }

  NotFoundException notFound(String stream, String operation) {
    List<String> streams;
    try {
      streams = list();
    } catch (RuntimeException e) {
      streams = List.of("(not listed: " + e.getMessage() + ")");
    }
    return new NotFoundException("Cannot " + operation + " stream '" + stream + "': no topic '"
        + topic(stream) + "' on " + clients.bootstrapServers() + " (streams: "
        + (streams.isEmpty() ? "none" : String.join(", ", streams)) + "; create it first)");
  }

  /** What to check when a call failed, for the failures a user can do something about. */
  static String hint(KafkaException e) {
    if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
      return " (check bootstrap.servers and that the brokers are up; retrying is safe)";
    }
    if (e instanceof org.apache.kafka.common.errors.AuthorizationException
        || e instanceof org.apache.kafka.common.errors.AuthenticationException) {
      return " (check the credentials and ACLs in the kafka.* properties)";
    }
    return "";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    }
  }
}
