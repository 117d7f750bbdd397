/**
 * The {@code lockstep} command (picocli): one class per subcommand, each a thin shell over core
 * and ops; errors are one line and an exit code.
 */
package dev.lockstep.cli;
