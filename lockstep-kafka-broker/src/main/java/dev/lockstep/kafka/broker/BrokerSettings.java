package dev.lockstep.kafka.broker;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The configuration of a {@link LocalKafkaBroker}: one combined broker and controller on
 * 127.0.0.1, replication 1 everywhere, no automatic topic creation, and settings that make a test
 * broker start and answer fast (one partition for internal topics, no initial rebalance delay,
 * small segments, few threads).
 */
final class BrokerSettings {
  private static final String NODE_ID = "1";
  /** Small segments keep a test broker's disk use and index files small. */
  private static final String SEGMENT_BYTES = String.valueOf(8 << 20);
  private static final String INDEX_BYTES = String.valueOf(1 << 20);

  private BrokerSettings() {}

  static Properties of(Path dataDirectory, int port, int controllerPort) {
    String host = LocalKafkaBroker.HOST;
    Properties config = new Properties();
    config.setProperty("process.roles", "broker,controller");
    config.setProperty("node.id", NODE_ID);
    // A static voter set (kraft.version 0): the controller port may change between restarts.
    config.setProperty("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    config.setProperty("listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    config.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    config.setProperty("controller.listener.names", "CONTROLLER");
    config.setProperty("inter.broker.listener.name", "PLAINTEXT");
    config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    config.setProperty("log.dirs", dataDirectory.toString());

    config.setProperty("auto.create.topics.enable", "false");
    config.setProperty("num.partitions", "1");
    config.setProperty("default.replication.factor", "1");
    config.setProperty("min.insync.replicas", "1");
    config.setProperty("offsets.topic.replication.factor", "1");
    config.setProperty("offsets.topic.num.partitions", "1");
    config.setProperty("transaction.state.log.replication.factor", "1");
    config.setProperty("transaction.state.log.min.isr", "1");
    config.setProperty("transaction.state.log.num.partitions", "1");
    config.setProperty("share.coordinator.state.topic.replication.factor", "1");
    config.setProperty("share.coordinator.state.topic.min.isr", "1");
    config.setProperty("share.coordinator.state.topic.num.partitions", "1");
    config.setProperty("group.initial.rebalance.delay.ms", "0");

    config.setProperty("log.segment.bytes", SEGMENT_BYTES);
    config.setProperty("log.index.size.max.bytes", INDEX_BYTES);
    config.setProperty("num.network.threads", "2");
    config.setProperty("num.io.threads", "2");
    config.setProperty("background.threads", "2");
    config.setProperty("num.recovery.threads.per.data.dir", "1");
    return config;
  }
}
