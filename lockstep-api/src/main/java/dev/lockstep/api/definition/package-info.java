/**
 * Feature definitions as code: entities, sources, feature views, aggregations, windows, on-demand
 * views, feature services and contracts, with their builders. Immutable records.
 */
package dev.lockstep.api.definition;
