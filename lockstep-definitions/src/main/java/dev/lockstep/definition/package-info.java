/**
 * Loading a feature repository: YAML parsing with locations, the Java builder path, validation,
 * references, filters, contracts, and the one on-demand evaluator training and serving share.
 */
package dev.lockstep.definition;
