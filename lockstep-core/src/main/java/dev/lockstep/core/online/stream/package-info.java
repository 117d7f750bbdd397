/**
 * Stream ingestion of one source: {@link dev.lockstep.core.online.stream.SourceStream} is the door
 * (validation, quarantine, load shedding) over three threads — the group committer, the applier and
 * the offline appender — plus tailed files and feeds.
 */
package dev.lockstep.core.online.stream;
