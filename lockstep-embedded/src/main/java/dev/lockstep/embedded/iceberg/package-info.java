/**
 * The embedded offline store: Apache Iceberg tables on local files with a SQLite JDBC catalog.
 */
package dev.lockstep.embedded.iceberg;
