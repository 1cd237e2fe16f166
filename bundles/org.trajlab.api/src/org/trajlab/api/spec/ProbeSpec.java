package org.trajlab.api.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * One probe of a run: its registered type (e.g. {@code walk}), when it runs (one schedule rule, or a list of
 * rules of which any may match; none = every update) and its own parameters, which the probe's factory checks.
 */
public class ProbeSpec {
  public String type;
  @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
  public List<ScheduleSpec> schedule = new ArrayList<>();
  public Map<String, Object> params = new LinkedHashMap<>();

  public ProbeSpec() {}

  public ProbeSpec(String type, ScheduleSpec... rules) {
    this.type = type;
    this.schedule = new ArrayList<>(List.of(rules));
  }
}
