package dev.lockstep.layering;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layering of docs/architecture.md, checked on the compiled classes. Think hard before
 * widening an allow-list here: the engine's purity is what makes batch, stream and serving compute
 * the same bits, and a cycle is where a capability stops having a home of its own.
 *
 * <p>From the bottom: {@code api} (JDK only), {@code spi}, {@code engine}, {@code examples};
 * {@code io} (data files) and {@code definitions} ({@code definition}, {@code registry}); {@code
 * core}; {@code ops} (whole-project operations); {@code wire}, {@code client}, {@code server};
 * {@code cli} on top. Backends ({@code embedded}, {@code redis}, {@code postgres}, {@code kafka})
 * implement the SPI and nothing else.
 *
 * <p><b>Public API</b>, what users and backends compile against: {@code dev.lockstep.api..}
 * (definitions, value types, the feature client), {@code dev.lockstep.spi..} (for backends), and
 * one entry point per module: {@code Lockstep} (core), {@code ServingRuntime} (ops), {@code
 * LockstepServer} (server), {@code RemoteFeatureClient} (client), {@code WireJson} (wire). Other
 * public classes serve the modules above them; {@code internal} packages serve only their own
 * module and the one built directly on it.
 */
class LayeringTest {
  private static JavaClasses lockstep;

  @BeforeAll
  static void importClasses() {
    lockstep = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.lockstep");
  }

  @Test
  void theApiDependsOnTheJdkOnly() {
    classes().that().resideInAPackage("dev.lockstep.api..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.lockstep.api..", "java..")
        .check(lockstep);
  }

  @Test
  void theSpiDependsOnTheApiAndTheJdkOnly() {
    classes().that().resideInAPackage("dev.lockstep.spi..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.lockstep.spi..", "dev.lockstep.api..", "java..")
        .check(lockstep);
  }

  @Test
  void theEngineIsPureComputation() {
    classes().that().resideInAPackage("dev.lockstep.engine..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            "dev.lockstep.engine..", "dev.lockstep.api..",
            "org.apache.datasketches..", "com.datadoghq.sketch..",
            "java.lang..", "java.util..", "java.math..", "java.time..",
            // byte-array streams for codecs only: the engine opens no file, socket or channel
            "java.io..", "java.nio.charset..")
        .check(lockstep);
  }

  @Test
  void theEngineOpensNoFilesSocketsOrThreads() {
    noClasses().that().resideInAPackage("dev.lockstep.engine..")
        .should().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .orShould().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.file..", "java.nio.channels..",
            "java.util.concurrent..")
        .check(lockstep);
  }

  @Test
  void noLibraryModuleReachesIntoABackendModule() {
    noClasses().that().resideInAnyPackage("dev.lockstep.api..", "dev.lockstep.spi..", "dev.lockstep.engine..",
            "dev.lockstep.io..", "dev.lockstep.definition..", "dev.lockstep.registry..", "dev.lockstep.core..",
            "dev.lockstep.ops..", "dev.lockstep.testkit..", "dev.lockstep.examples..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.lockstep.embedded..", "dev.lockstep.kafka..", "dev.lockstep.redis..", "dev.lockstep.postgres..",
            "dev.lockstep.spark..", "dev.lockstep.flink..", "dev.lockstep.server..", "dev.lockstep.cli..")
        .allowEmptyShould(true)
        .check(lockstep);
  }

  @Test
  void coreUsesTheSpiNotABackend() {
    noClasses().that().resideInAPackage("dev.lockstep.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.iceberg..", "org.sqlite..", "org.duckdb..", "org.apache.spark..", "picocli..",
            "org.apache.kafka..", "io.lettuce..", "org.postgresql..", "com.zaxxer..")
        .check(lockstep);
  }

  @Test
  void distributedBackendsImplementTheSpiOverTheirSystemsClient() {
    // a backend knows the SPI and its own system, never core's runtime: core drives it
    classes().that().resideInAnyPackage("dev.lockstep.redis..", "dev.lockstep.postgres..", "dev.lockstep.kafka")
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            "dev.lockstep.redis..", "dev.lockstep.postgres..", "dev.lockstep.kafka", "dev.lockstep.spi..",
            "dev.lockstep.api..", "java..", "javax.sql..", "io.lettuce..", "io.netty..", "reactor..",
            "org.postgresql..", "com.zaxxer..", "org.apache.kafka..", "org.slf4j..")
        .allowEmptyShould(true)
        .check(lockstep);
  }

  @Test
  void embeddedBackendsDoNotReachIntoTheCommandLine() {
    noClasses().that().resideInAPackage("dev.lockstep.embedded..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.lockstep.cli..", "dev.lockstep.server..")
        .check(lockstep);
  }

  @Test
  void theServerUsesOpsCoreTheApiAndTheWireOverUndertowJacksonAndMicrometer() {
    // spi only for the backend exceptions that core lets through, mapped to HTTP statuses
    classes().that().resideInAPackage("dev.lockstep.server..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            "dev.lockstep.server..", "dev.lockstep.api..", "dev.lockstep.core..", "dev.lockstep.ops..",
            "dev.lockstep.governance..",
            "dev.lockstep.wire..", "dev.lockstep.registry..", "dev.lockstep.spi..", "java..",
            "io.undertow..", "org.xnio..", "com.fasterxml.jackson..", "io.micrometer..")
        .check(lockstep);
  }

  @Test
  void theRemoteClientNeedsOnlyTheApiAndTheWire() {
    classes().that().resideInAPackage("dev.lockstep.client..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            "dev.lockstep.client..", "dev.lockstep.wire..", "dev.lockstep.api..", "java..", "com.fasterxml.jackson..")
        .check(lockstep);
  }

  @Test
  void theWireIsTheApiOverJacksonCore() {
    classes().that().resideInAPackage("dev.lockstep.wire..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            "dev.lockstep.wire..", "dev.lockstep.api..", "java..", "com.fasterxml.jackson.core..")
        .check(lockstep);
  }

  @Test
  void governanceSitsBetweenCoreAndTheServer() {
    // who may ask is decided before any route runs: the server uses governance, governance knows
    // only the configuration and the API
    classes().that().resideInAPackage("dev.lockstep.governance..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.lockstep.governance..", "dev.lockstep.api..",
            "dev.lockstep.core.config..", "dev.lockstep.spi", "java..", "com.nimbusds..", "com.fasterxml.jackson.core..")
        .check(lockstep);
    noClasses().that().resideInAnyPackage("dev.lockstep.core..", "dev.lockstep.ops..")
        .should().dependOnClassesThat().resideInAPackage("dev.lockstep.governance..")
        .check(lockstep);
  }

  @Test
  void modulesFormNoCycles() {
    slices().matching("dev.lockstep.(*)..").should().beFreeOfCycles().check(lockstep);
  }

  @Test
  void thePackagesOfCoreFormNoCycles() {
    slices().matching("dev.lockstep.core.(*)..").should().beFreeOfCycles().check(lockstep);
  }

  @Test
  void theOnlineRuntimeIsSplitByWhatItDoesWithoutCycles() {
    // state (layouts, states, keys, event records) below stream ingestion, serving and
    // materialization; OnlineRuntime above them all
    slices().matching("dev.lockstep.core.online.(*)..").should().beFreeOfCycles().check(lockstep);
    noClasses().that().resideInAPackage("dev.lockstep.core.online.serving..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.lockstep.core.online.stream..",
            "dev.lockstep.core.online.materialize..")
        .check(lockstep);
    noClasses().that().resideInAnyPackage("dev.lockstep.core.online.state..", "dev.lockstep.core.online.stream..",
            "dev.lockstep.core.online.serving..", "dev.lockstep.core.online.materialize..")
        .should().dependOnClassesThat().haveFullyQualifiedName("dev.lockstep.core.online.OnlineRuntime")
        .check(lockstep);
    classes().that().resideInAnyPackage("dev.lockstep.core.online.state..", "dev.lockstep.core.online.stream..",
            "dev.lockstep.core.online.serving..")
        .and().doNotHaveSimpleName("OnlineMetrics")
        .should().onlyBeAccessed().byAnyPackage("dev.lockstep.core.online..")
        .check(lockstep);
  }

  @Test
  void thePackagesOfOpsFormNoCycles() {
    slices().matching("dev.lockstep.ops.(*)..").should().beFreeOfCycles().check(lockstep);
  }

  @Test
  void dataFilesAndDefinitionsSitBelowCore() {
    noClasses().that().resideInAnyPackage("dev.lockstep.io..", "dev.lockstep.definition..", "dev.lockstep.registry..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.lockstep.core..", "dev.lockstep.ops..",
            "dev.lockstep.server..", "dev.lockstep.cli..", "dev.lockstep.wire..", "dev.lockstep.client..")
        .check(lockstep);
    noClasses().that().resideInAPackage("dev.lockstep.io..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.lockstep.definition..", "dev.lockstep.registry..",
            "dev.lockstep.engine..")
        .check(lockstep);
  }

  @Test
  void coreKnowsNothingOfTheOperationsAboveIt() {
    noClasses().that().resideInAPackage("dev.lockstep.core..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.lockstep.ops..", "dev.lockstep.server..",
            "dev.lockstep.cli..", "dev.lockstep.wire..", "dev.lockstep.client..")
        .check(lockstep);
    noClasses().that().resideInAPackage("dev.lockstep.ops..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.lockstep.server..", "dev.lockstep.cli..")
        .check(lockstep);
  }

  @Test
  void internalPackagesServeOnlyTheirModuleAndTheOneOnIt() {
    classes().that().resideInAPackage("dev.lockstep.core.internal..")
        .should().onlyBeAccessed().byAnyPackage("dev.lockstep.core..", "dev.lockstep.ops..")
        .check(lockstep);
  }

  @Test
  void theCommandLineShipsNoTestCode() {
    // the quickstart's example data comes from lockstep-examples; the testkit is for tests
    noClasses().that().resideInAPackage("dev.lockstep.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.lockstep.testkit..")
        .check(lockstep);
  }

  @Test
  void embeddedBackendsKnowTheSpiNotCore() {
    noClasses().that().resideInAPackage("dev.lockstep.embedded..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.lockstep.core..", "dev.lockstep.io..",
            "dev.lockstep.definition..", "dev.lockstep.registry..", "dev.lockstep.ops..")
        .check(lockstep);
  }

  @Test
  void eachUserFacingModuleHasOnePublicEntryPoint() {
    classes().that().resideInAPackage("dev.lockstep.server").and().arePublic().and().areTopLevelClasses()
        .should().haveSimpleName("LockstepServer").check(lockstep);
    classes().that().resideInAPackage("dev.lockstep.client").and().arePublic().and().areTopLevelClasses()
        .should().haveSimpleName("RemoteFeatureClient").check(lockstep);
    classes().that().resideInAPackage("dev.lockstep.wire").and().arePublic().and().areTopLevelClasses()
        .should().haveSimpleName("WireJson").check(lockstep);
  }

  @Test
  void theTestkitOracleIsIndependentOfTheEngine() {
    noClasses().that().resideInAPackage("dev.lockstep.testkit..")
        .should().dependOnClassesThat().resideInAPackage("dev.lockstep.engine..")
        .check(lockstep);
  }
}
