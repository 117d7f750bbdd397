/**
 * Windows and tiles: how a window's value at {@code t} is assembled from tiles and raw events.
 */
package dev.lockstep.engine.window;
