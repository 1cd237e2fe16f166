package org.trajlab.api.probe;

import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;

/** Registered through the {@code org.trajlab.api.probes} extension point; checks its params and builds a probe. */
public interface ProbeFactory {
  /** @param field the spec path of this probe, e.g. {@code probes[0]}, for error messages */
  Probe create(ProbeSpec spec, String field) throws SpecException;
}
