/**
 * {@code lockstep.yaml}: backends, limits, monitoring and lineage settings, parsed with one-line
 * errors.
 */
package dev.lockstep.core.config;
