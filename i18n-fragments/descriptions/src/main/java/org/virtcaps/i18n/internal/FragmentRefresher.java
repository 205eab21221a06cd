package org.virtcaps.i18n.internal;

import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * A framework does not attach a fragment to a host that is already resolved; the host must be refreshed.
 * This bundle is a leaf that nothing imports, so refreshing it restarts only itself: when a locale
 * fragment for it is installed, updated or uninstalled, it refreshes itself and comes back with the new
 * set of languages, while core and the drivers keep running.
 */
@Component(immediate = true)
public class FragmentRefresher implements SynchronousBundleListener {
    private final BundleContext context;

    @Activate
    public FragmentRefresher(BundleContext context) {
        this.context = context;
        context.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if (type != BundleEvent.INSTALLED && type != BundleEvent.UPDATED && type != BundleEvent.UNINSTALLED) {
            return;
        }
        String host = event.getBundle().getHeaders("").get(Constants.FRAGMENT_HOST);
        Bundle self = context.getBundle();
        if (host == null || !host.split(";")[0].trim().equals(self.getSymbolicName())) {
            return;
        }
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        // asynchronous: the refresh stops this bundle, which must not happen inside its own listener call
        system.adapt(FrameworkWiring.class).refreshBundles(List.of(self));
    }
}
