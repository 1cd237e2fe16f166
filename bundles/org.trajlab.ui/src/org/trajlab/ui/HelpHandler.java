package org.trajlab.ui;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.FileLocator;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.program.Program;
import org.eclipse.ui.handlers.HandlerUtil;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Help &gt; trajlab Help: the help pages (the table of contents {@code toc.xml} contributes to
 * {@code org.eclipse.help.toc}) in the system's browser. This workbench carries no help system UI of its own (the
 * bundles that show a table of contents are not in the target platform), so the first page opens as a file and links
 * to the others; where no browser is set up a dialog gives its path.
 */
public class HelpHandler extends AbstractHandler {
  /** the page the table of contents starts with */
  public static final String FIRST_PAGE = "help/workbench.html";

  @Override
  public Object execute(ExecutionEvent event) {
    Path page;
    try {
      page = page(FIRST_PAGE);
    } catch (IOException e) {
      MessageDialog.openError(HandlerUtil.getActiveShell(event), "trajlab Help", "The help pages cannot be found: "
          + e.getMessage());
      return null;
    }
    if (!Program.launch(page.toUri().toString())) {
      MessageDialog.openInformation(HandlerUtil.getActiveShell(event), "trajlab Help", "No web browser is set up"
          + " here; the help pages are in " + page.getParent() + ".");
    }
    return null;
  }

  /** a help page of this bundle as a file (unpacked from the jar when the bundle is one) */
  public static Path page(String href) throws IOException {
    Bundle bundle = FrameworkUtil.getBundle(HelpHandler.class);
    URL entry = bundle.getEntry(href);
    if (entry == null) {
      throw new IOException(bundle.getSymbolicName() + " has no " + href);
    }
    // the pages link to each other: unpack the folder, not only the page
    FileLocator.toFileURL(bundle.getEntry("help/"));
    URL file = FileLocator.toFileURL(entry);
    return Path.of(file.getPath());
  }
}
