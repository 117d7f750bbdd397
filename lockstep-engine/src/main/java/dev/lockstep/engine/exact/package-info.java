/**
 * Exact arithmetic: fixed-point and exact double sums whose result does not depend on order.
 */
package dev.lockstep.engine.exact;
