/**
 * The embedded online store on RocksDB, with atomic state-and-checkpoint writes.
 */
package dev.lockstep.embedded.rocksdb;
