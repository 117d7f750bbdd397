/**
 * Helpers for core and the operations built directly on it (offline tables, digests, event
 * admission, exact value comparison); not API.
 */
package dev.lockstep.core.internal;
