package org.trajlab.ui.wizards;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.Platform;

/**
 * The pages contributed to {@code org.trajlab.ui.wizardPages} (schema/wizardPages.exsd) for one kind of wizard, in
 * their order: a class extending {@link SpecWizardPage}, or a probe's page declared in XML ({@link ProbeParamsPage}).
 */
public final class WizardPageRegistry {
  public static final String EXTENSION_POINT = "org.trajlab.ui.wizardPages";
  /** the wizard kinds a page may name in its {@code wizards} attribute */
  public static final String NEW = "new";
  public static final String RESTART = "restart";
  public static final String SWEEP = "sweep";
  private static final Set<String> ALL = Set.of(NEW, RESTART, SWEEP);

  /** one contributed page */
  public record Contribution(String id, String title, String description, int order, Set<String> wizards,
      IConfigurationElement element) {
    /** a new page object (a class of its own, or a declared probe page) */
    public SpecWizardPage create() throws CoreException {
      SpecWizardPage page = element.getAttribute("class") != null
          ? (SpecWizardPage) element.createExecutableExtension("class")
          : new ProbeParamsPage(element);
      page.contribution(this);
      return page;
    }
  }

  private WizardPageRegistry() {}

  /** the pages for wizard {@code kind}, ordered by {@code order}, then id */
  public static List<Contribution> pages(String kind) {
    List<Contribution> out = new ArrayList<>();
    for (IConfigurationElement e : Platform.getExtensionRegistry().getConfigurationElementsFor(EXTENSION_POINT)) {
      if (!"page".equals(e.getName())) {
        continue;
      }
      Set<String> wizards = e.getAttribute("wizards") == null ? ALL
          : Set.copyOf(Arrays.asList(e.getAttribute("wizards").trim().split("[\\s,]+")));
      if (!wizards.contains(kind)) {
        continue;
      }
      int order;
      try {
        order = Integer.parseInt(e.getAttribute("order").trim());
      } catch (RuntimeException ex) {
        order = 50;
      }
      out.add(new Contribution(e.getAttribute("id"), e.getAttribute("title"), e.getAttribute("description"), order,
          wizards, e));
    }
    out.sort(Comparator.comparingInt(Contribution::order).thenComparing(Contribution::id));
    return out;
  }
}
