/**
 * The Redis online store, with atomic state-and-checkpoint writes in Lua.
 */
package dev.lockstep.redis;
