/**
 * The streaming runtime and the fetcher: per source a stream (group committer, applier, offline
 * appender), the state cache, serving plans and the embedded feature client, materialization,
 * tailed files and feeds.
 */
package dev.lockstep.core.online;
