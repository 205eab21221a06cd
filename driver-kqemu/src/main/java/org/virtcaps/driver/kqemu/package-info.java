/**
 * kqemu driver (domain type kqemu).
 *
 * <p>This bundle is part of the layout from the start so that the distribution resolves with it; its
 * probing is delivered by its own issue (see the README's status section). Until then it registers no
 * driver service, and the capabilities document simply has no guests from it.
 */
package org.virtcaps.driver.kqemu;
