package org.trajlab.probes.lrscan.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.trajlab.api.probe.Probe;
import org.trajlab.api.probe.ProbeFactory;
import org.trajlab.api.probe.ProbeParams;
import org.trajlab.api.probe.Schedule;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;

/** params: {@code to} (required): the other run's folder (its final checkpoint) or one of its checkpoint folders. */
public final class BranchProbeFactory implements ProbeFactory {
  @Override
  public Probe create(ProbeSpec spec, String field) throws SpecException {
    ProbeParams p = new ProbeParams(spec.params, field, Set.of("to"));
    p.required("to", "the run (or checkpoint folder) whose endpoint the distances are measured to");
    Object value = spec.params.get("to");
    Specs.require(value instanceof String, field + ".params.to", "Field '" + field + ".params.to' must be a folder"
        + " name, but it is " + value);
    String to = (String) value;
    Path dir = Path.of(to);
    Specs.require(Files.isRegularFile(dir.resolve("spec.json")) || Files.isRegularFile(dir.resolve("state.json")),
        field + ".params.to", "Field '" + field + ".params.to' names " + to + ", which is neither a trajlab run nor a"
            + " checkpoint folder");
    return new BranchProbe(new Schedule(spec.schedule), to);
  }
}
