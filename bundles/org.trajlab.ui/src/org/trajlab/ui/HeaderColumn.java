package org.trajlab.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/**
 * The frame the Compare and Lines views share: one column filling the view, a wrapping header line on top, the
 * view's controls and charts below it (each given GridData in the column).
 */
record HeaderColumn(Composite root, Label header) {
  static HeaderColumn in(Composite parent) {
    parent.setLayout(new FillLayout());
    Composite root = new Composite(parent, SWT.NONE);
    GridLayout layout = new GridLayout(1, false);
    layout.marginWidth = 0;
    layout.marginHeight = 2;
    root.setLayout(layout);
    Label header = new Label(root, SWT.WRAP);
    GridData hd = new GridData(SWT.FILL, SWT.TOP, true, false);
    hd.widthHint = 600;
    header.setLayoutData(hd);
    return new HeaderColumn(root, header);
  }
}
