/**
 * Versioned binary codecs of partial aggregates and tile sets, with golden files.
 */
package dev.lockstep.engine.codec;
