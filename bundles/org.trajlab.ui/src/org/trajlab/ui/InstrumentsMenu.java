package org.trajlab.ui;

import java.util.Map;

import org.eclipse.jface.action.IContributionItem;
import org.eclipse.ui.actions.CompoundContributionItem;
import org.eclipse.ui.menus.CommandContributionItem;
import org.eclipse.ui.menus.CommandContributionItemParameter;
import org.eclipse.ui.menus.IWorkbenchContribution;
import org.eclipse.ui.services.IServiceLocator;
import org.trajlab.api.chart.ChartGroup;

/** Window &gt; trajlab instruments: one entry per contributed chart group, each opening its instrument view. */
public class InstrumentsMenu extends CompoundContributionItem implements IWorkbenchContribution {
  private IServiceLocator locator;

  @Override
  public void initialize(IServiceLocator serviceLocator) {
    this.locator = serviceLocator;
  }

  @Override
  protected IContributionItem[] getContributionItems() {
    return Instruments.groups().values().stream().map(this::item).toArray(IContributionItem[]::new);
  }

  private IContributionItem item(ChartGroup group) {
    CommandContributionItemParameter p = new CommandContributionItemParameter(locator,
        "org.trajlab.ui.instrument." + group.id(), ShowInstrumentHandler.COMMAND, CommandContributionItem.STYLE_PUSH);
    p.label = group.name();
    p.parameters = Map.of(ShowInstrumentHandler.GROUP_PARAMETER, group.id());
    return new CommandContributionItem(p);
  }
}
