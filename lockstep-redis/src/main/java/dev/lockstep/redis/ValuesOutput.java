package dev.lockstep.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply of {@code MGET} as the values alone, in key order, {@code null} for a missing key: one
 * modifiable list of the right size, without the key-value pair Lettuce's {@code mget} allocates
 * per key.
 */
final class ValuesOutput extends CommandOutput<byte[], byte[], List<byte[]>> {

  ValuesOutput(int count) {
    super(ByteArrayCodec.INSTANCE, new ArrayList<>(count));
  }

  @Override
  public void set(ByteBuffer bytes) {
    output.add(bytes == null ? null : codec.decodeValue(bytes));
  }

  @Override
  public void multi(int count) {
    // The list was sized from the number of keys asked for.
  }
}
