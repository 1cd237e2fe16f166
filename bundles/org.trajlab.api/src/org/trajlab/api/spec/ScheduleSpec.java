package org.trajlab.api.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * When a probe runs, by update index t (0-based: update t moves theta_t to theta_{t+1}). A step is due when ANY
 * rule matches: it is listed in {@code steps}; it lies in [{@code from}, {@code to}] (inclusive, open-ended when
 * missing) and {@code (t - from) % every == 0}; or it belongs to one of the 1-based {@code epochs}. With no rule
 * at all, every step is due.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduleSpec {
  public Integer every;
  public Long from;
  public Long to;
  public List<Long> steps;
  public List<Integer> epochs;

  public static ScheduleSpec every(int n) {
    ScheduleSpec s = new ScheduleSpec();
    s.every = n;
    return s;
  }

  public static ScheduleSpec range(long from, long to, int every) {
    ScheduleSpec s = new ScheduleSpec();
    s.from = from;
    s.to = to;
    s.every = every;
    return s;
  }
}
