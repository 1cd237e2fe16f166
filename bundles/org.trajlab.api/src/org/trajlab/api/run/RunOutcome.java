package org.trajlab.api.run;

import java.util.Map;

import org.trajlab.api.store.RunState;

/** How a run ended: DONE, DIVERGED, CANCELLED or FAILED (with the reason), after how many updates. */
public record RunOutcome(RunState state, long steps, String message, Map<String, Object> summary) {
}
