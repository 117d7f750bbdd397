/**
 * Feature profiles: what training sets record of their features (quantile sketches, counts) and
 * the thresholds drift is judged by.
 */
package dev.lockstep.core.drift;
