/**
 * The embedded event log: segment files with fsynced group commits.
 */
package dev.lockstep.embedded.log;
