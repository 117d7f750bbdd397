/**
 * The public API: value types, feature statuses, point-in-time modes and the exceptions every
 * module throws. JDK only.
 */
package dev.lockstep.api;
