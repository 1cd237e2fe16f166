package org.trajlab.api.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.RegistryFactory;
import org.trajlab.api.spec.ProbeSpec;
import org.trajlab.api.spec.SpecException;
import org.trajlab.api.spec.Specs;

/** The probes contributed to {@code org.trajlab.api.probes}, by id. */
public final class ProbeRegistry {
  public static final String EXTENSION_POINT = "org.trajlab.api.probes";

  /** id, name, description and the configuration element that creates the factory */
  public record Entry(String id, String name, String description, IConfigurationElement element) {
  }

  private final Map<String, Entry> entries;

  private ProbeRegistry(Map<String, Entry> entries) {
    this.entries = entries;
  }

  public static ProbeRegistry fromExtensions() {
    IExtensionRegistry reg = RegistryFactory.getRegistry();
    Map<String, Entry> m = new TreeMap<>();
    if (reg != null) {
      for (IConfigurationElement e : reg.getConfigurationElementsFor(EXTENSION_POINT)) {
        if ("probe".equals(e.getName())) {
          m.put(e.getAttribute("id"), new Entry(e.getAttribute("id"), e.getAttribute("name"),
              e.getAttribute("description"), e));
        }
      }
    }
    return new ProbeRegistry(m);
  }

  public Map<String, Entry> entries() {
    return new LinkedHashMap<>(entries);
  }

  public Probe create(ProbeSpec spec, String field) throws SpecException {
    Specs.oneOf(field + ".type", spec.type, entries.keySet());
    try {
      ProbeFactory f = (ProbeFactory) entries.get(spec.type).element().createExecutableExtension("factory");
      return f.create(spec, field);
    } catch (CoreException e) {
      throw new IllegalStateException("probe " + spec.type + " cannot be created: " + e.getMessage(), e);
    }
  }
}
