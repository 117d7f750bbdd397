package dev.lockstep.embedded.contract;

import dev.lockstep.spi.offline.OfflineStore;
import dev.lockstep.testkit.contract.OfflineStoreContract;

/**
 * The offline store contract on a store without any capability: checks the suite itself, that a
 * store offering only the core passes it and that the "does not support" branches hold.
 */
class MinimalOfflineStoreContractTest extends OfflineStoreContract {
  @Override
  protected OfflineStore newStore() {
    return new MinimalOfflineStore();
  }

  @Override
  protected boolean dropsTables() {
    return false;
  }
}
