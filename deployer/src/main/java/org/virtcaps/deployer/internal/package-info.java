/** The drivers directory of container mode. Private: nothing here is API. */
package org.virtcaps.deployer.internal;
