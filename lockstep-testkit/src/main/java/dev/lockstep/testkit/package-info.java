/**
 * Test support shared by the modules' tests: a manual clock.
 */
package dev.lockstep.testkit;
