package dev.lockstep.layering;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layering of DESIGN §2, checked on the compiled classes. Think hard before widening an
 * allow-list here: the engine's purity is what makes batch, stream and serving compute the same bits.
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
            "dev.lockstep.core..", "dev.lockstep.testkit..")
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
  void theServerUsesCoreAndTheApiOverUndertowJacksonAndMicrometer() {
    // spi only for the backend exceptions that core lets through, mapped to HTTP statuses
    classes().that().resideInAPackage("dev.lockstep.server..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            "dev.lockstep.server..", "dev.lockstep.api..", "dev.lockstep.core..", "dev.lockstep.spi..", "java..",
            "io.undertow..", "org.xnio..", "com.fasterxml.jackson..", "io.micrometer..")
        .check(lockstep);
  }

  @Test
  void theRemoteClientNeedsOnlyTheApiAndJackson() {
    classes().that().resideInAPackage("dev.lockstep.client..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            "dev.lockstep.client..", "dev.lockstep.api..", "java..", "com.fasterxml.jackson..")
        .check(lockstep);
  }

  @Test
  void theTestkitOracleIsIndependentOfTheEngine() {
    noClasses().that().resideInAPackage("dev.lockstep.testkit..")
        .should().dependOnClassesThat().resideInAPackage("dev.lockstep.engine..")
        .check(lockstep);
  }
}
