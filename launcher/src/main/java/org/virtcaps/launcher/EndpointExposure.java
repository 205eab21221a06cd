package org.virtcaps.launcher;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether {@code serve} is about to answer beyond this machine without a token, and the warning that names
 * every address it will answer on. An operator who typed {@code --bind 0.0.0.0} may not know that Java
 * listens on IPv6 too, or which addresses the host has.
 */
final class EndpointExposure {
    private EndpointExposure() {
    }

    /**
     * The warning for an endpoint bound to {@code bind}, or empty when it only listens on loopback or a token
     * is configured.
     *
     * @param interfaceAddresses this host's addresses (what a wildcard bind listens on)
     */
    static Optional<String> warning(String bind, int port, boolean tokenConfigured, Path configFile,
            List<InetAddress> interfaceAddresses) {
        if (tokenConfigured) {
            return Optional.empty();
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            return Optional.empty(); // the endpoint will fail to bind and say so itself
        }
        if (address.isLoopbackAddress()) {
            return Optional.empty();
        }
        List<String> reached = new ArrayList<>();
        if (address.isAnyLocalAddress()) {
            // a wildcard socket is dual-stack in Java unless told otherwise: 0.0.0.0 answers on IPv6 too
            boolean ipv4Only = Boolean.getBoolean("java.net.preferIPv4Stack");
            for (InetAddress a : interfaceAddresses) {
                if (!a.isLoopbackAddress() && (!ipv4Only || a.getAddress().length == 4)) {
                    reached.add(a.getHostAddress());
                }
            }
        } else {
            reached.add(address.getHostAddress());
        }
        return Optional.of("virtcaps: warning: the endpoint answers without a token on port " + port + " of "
                + (reached.isEmpty() ? bind : String.join(", ", reached))
                + (address.isAnyLocalAddress() ? " (every interface, " + bind + ")" : "")
                + ": anyone who reaches these addresses reads this host's capabilities. Set token = ... in "
                + configFile + ", or --bind 127.0.0.1");
    }

    /** Whether the endpoint's configuration file in the configuration directory sets a non-empty token. */
    static boolean tokenConfigured(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            return false;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(configFile)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return false; // unreadable: the endpoint will not find a token in it either
        }
        String token = properties.getProperty("token");
        return token != null && !token.isBlank();
    }

    /** Every address of this host's interfaces that are up. */
    static List<InetAddress> interfaceAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp()) {
                    addresses.addAll(Collections.list(nic.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            // no interface list: the warning names the bind address alone
        }
        return addresses;
    }
}
