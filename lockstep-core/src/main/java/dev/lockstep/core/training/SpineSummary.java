package dev.lockstep.core.training;

import java.util.OptionalLong;

/** What partitioning found: spine rows, their time range, and events read. */
record SpineSummary(long rows, OptionalLong minTime, OptionalLong maxTime, long events) {}
