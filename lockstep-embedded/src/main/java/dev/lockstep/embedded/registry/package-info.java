/**
 * The embedded registry store: versioned documents in a local file store.
 */
package dev.lockstep.embedded.registry;
