/**
 * Lineage: the graph of sources, views, services and training sets, and OpenLineage events of
 * runs.
 */
package dev.lockstep.core.lineage;
