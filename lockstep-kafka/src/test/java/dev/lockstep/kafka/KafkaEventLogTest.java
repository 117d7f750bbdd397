package dev.lockstep.kafka;

import dev.lockstep.spi.Backends;
import dev.lockstep.spi.eventlog.EventLog;
import dev.lockstep.testkit.contract.EventLogContract;
import java.util.Map;

/** The event log contract on a real broker, each test in a namespace of its own. */
class KafkaEventLogTest extends EventLogContract {
  @Override
  protected EventLog newLog() {
    return Backends.load(EventLog.class, "kafka", Map.of(
        "bootstrap.servers", TestKafka.bootstrapServers(),
        "namespace", TestKafka.unique("contract"),
        "timeout", "20s"));
  }
}
