/**
 * The PostgreSQL registry store.
 */
package dev.lockstep.postgres;
