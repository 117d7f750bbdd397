/**
 * Random events and values for property tests.
 */
package dev.lockstep.testkit.data;
