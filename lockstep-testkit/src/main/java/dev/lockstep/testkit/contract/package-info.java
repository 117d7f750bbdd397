/**
 * Contract suites every backend's tests run against its implementation of the SPI.
 */
package dev.lockstep.testkit.contract;
