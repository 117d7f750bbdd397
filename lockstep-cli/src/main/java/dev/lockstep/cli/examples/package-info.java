/**
 * The fraud example's on-demand function, shipped with the CLI so {@code lockstep init} and the
 * quickstart run without a build.
 */
package dev.lockstep.cli.examples;
