/**
 * The registry: versioned documents of definitions, plans (diffs) and their refusals, the stored
 * form and its golden files.
 */
package dev.lockstep.registry;
