package org.virtcaps.launcher;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.launch.Framework;

/**
 * Works around a leak in the Felix framework's service registry (7.0.5, and 6.0 before it): after a
 * balanced {@code getService}/{@code ungetService} of a singleton service the registry keeps a usage record
 * with count zero for that bundle, and {@code ungetServices(bundle)}, run when the bundle stops, skips
 * records whose service object is already released. The record stays in the registry's in-use map until
 * the used service itself goes away, and through its key the whole uninstalled bundle stays reachable
 * (revision, archive, jar index: ~11 KiB). SCR gets and ungets Config Admin on behalf of every bundle with
 * components, so in a container every uninstalled driver bundle leaked.
 *
 * <p>Once a bundle is uninstalled the framework has released every service it used (at stop), so all its
 * records have count zero; dropping them is exactly what {@code ungetServices} leaves undone. Records with
 * a count above zero are left alone. On a framework without these internals this does nothing.
 */
public final class UninstalledBundleUsages implements BundleListener {
    private final Map<Bundle, Object[]> inUse;

    private UninstalledBundleUsages(Map<Bundle, Object[]> inUse) {
        this.inUse = inUse;
    }

    /** Installs the clean-up on a Felix framework (after {@code init()}); returns whether it could. */
    @SuppressWarnings("unchecked")
    public static boolean install(Framework framework) {
        try {
            Object registry = field(framework, "m_registry");
            Object map = field(registry, "m_inUseMap");
            if (!(map instanceof Map<?, ?>)) {
                return false;
            }
            framework.getBundleContext().addBundleListener(new UninstalledBundleUsages((Map<Bundle, Object[]>) map));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // another framework, or another Felix: nothing to work around here
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() != BundleEvent.UNINSTALLED) {
            return;
        }
        Bundle bundle = event.getBundle();
        Object[] usages = inUse.get(bundle);
        if (usages == null) {
            return;
        }
        try {
            for (Object usage : usages) {
                if (((AtomicLong) field(usage, "m_count")).get() > 0) {
                    return; // still counted as in use: not this bug
                }
            }
            inUse.remove(bundle, usages);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // unknown record layout: leave the registry as it is
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // declared further up
            }
        }
        throw new NoSuchFieldException(name);
    }
}
