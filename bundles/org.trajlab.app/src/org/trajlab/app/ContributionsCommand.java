package org.trajlab.app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.RegistryFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trajlab contributions}: what this installation contributes, as the extension registry sees it (probes,
 * instrument views, workbench views, wizard pages, commands, preference pages, help, cheat sheets). An extension
 * whose point is not installed (the workbench's points in a headless-only install, the cheat sheets without
 * {@code org.eclipse.ui.cheatsheets}) is not listed: the registry keeps it aside, so a line here means the platform
 * would offer it. One line per contribution, tab-separated: kind, id, name, contributing bundle.
 */
@Command(name = "contributions", description = "List the probes, views, wizards and help this installation"
    + " registers (tab-separated: kind, id, name, bundle).")
final class ContributionsCommand implements Callable<Integer> {
  /** one registered contribution */
  record Contribution(String kind, String id, String name, String bundle) {
    String line() {
      return kind + "\t" + id + "\t" + name + "\t" + bundle;
    }
  }

  /** an extension point, the element that names one contribution, its id and name attributes, and the listed kind */
  private record Kind(String kind, String point, String element, String idAttr, String nameAttr, boolean ownOnly) {}

  private static final List<Kind> KINDS = List.of(
      new Kind("probe", "org.trajlab.api.probes", "probe", "id", "name", false),
      new Kind("instrument", "org.trajlab.api.charts", "group", "id", "name", false),
      new Kind("view", "org.eclipse.ui.views", "view", "id", "name", true),
      new Kind("perspective", "org.eclipse.ui.perspectives", "perspective", "id", "name", true),
      new Kind("wizard-page", "org.trajlab.ui.wizardPages", "page", "id", "title", false),
      new Kind("command", "org.eclipse.ui.commands", "command", "id", "name", true),
      new Kind("preference-page", "org.eclipse.ui.preferencePages", "page", "id", "name", true),
      new Kind("help-toc", "org.eclipse.help.toc", "toc", "file", "file", true),
      new Kind("cheat-sheet", "org.eclipse.ui.cheatsheets.cheatSheetContent", "cheatsheet", "id", "name", true));

  private final TrajlabCli cli;

  @Option(names = "--kind", paramLabel = "KIND", description = "only this kind (probe, instrument, view, perspective,"
      + " wizard-page, command, preference-page, help-toc, cheat-sheet)")
  String kind;

  ContributionsCommand(TrajlabCli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    if (kind != null && KINDS.stream().noneMatch(k -> k.kind().equals(kind))) {
      cli.err().println("[trajlab] unknown kind '" + kind + "'; kinds: "
          + String.join(", ", KINDS.stream().map(Kind::kind).toList()));
      return TrajlabCli.BAD_SPEC;
    }
    IExtensionRegistry registry = RegistryFactory.getRegistry();
    if (registry == null) {
      cli.err().println("[trajlab] the extension registry is not running in this process");
      return TrajlabCli.FAILED;
    }
    for (Contribution c : list(registry)) {
      if (kind == null || kind.equals(c.kind())) {
        cli.out().println(c.line());
      }
    }
    return TrajlabCli.OK;
  }

  /** every contribution of {@link #KINDS} in {@code registry}, by kind then id; the platform's own views etc. left out */
  static List<Contribution> list(IExtensionRegistry registry) {
    List<Contribution> out = new ArrayList<>();
    for (Kind k : KINDS) {
      List<Contribution> ofKind = new ArrayList<>();
      for (IConfigurationElement e : registry.getConfigurationElementsFor(k.point())) {
        String bundle = e.getContributor().getName();
        if (!e.getName().equals(k.element()) || (k.ownOnly() && !bundle.startsWith("org.trajlab."))) {
          continue;
        }
        ofKind.add(new Contribution(k.kind(), e.getAttribute(k.idAttr()), e.getAttribute(k.nameAttr()), bundle));
      }
      ofKind.sort(Comparator.comparing(Contribution::id));
      out.addAll(ofKind);
    }
    return out;
  }
}
