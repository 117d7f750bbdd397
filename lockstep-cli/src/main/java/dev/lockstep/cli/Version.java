package dev.lockstep.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code lockstep --version}, from the jar's manifest. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Version.class.getPackage().getImplementationVersion();
    return new String[] {"lockstep " + (version == null ? "development build" : version)};
  }
}
