/**
 * The service provider interface backends implement, and the types they share (entity keys,
 * iterators, capabilities).
 */
package dev.lockstep.spi;
