package org.virtcaps.remote.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The lines of a server-sent event stream, each at most a bounded number of bytes. A peer that sends a line
 * without end is refused when it passes the bound, instead of being buffered until the heap runs out (as
 * {@code BufferedReader.readLine} would). Failures surface as {@link UncheckedIOException}.
 */
final class EventStreamLines implements Iterator<String> {
    private final InputStream in;
    private final int maxLineBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private String next;
    private boolean ended;

    /** @param in a buffered stream (it is read byte by byte) */
    EventStreamLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            next = read();
        }
        return next != null;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String line = next;
        next = null;
        return line;
    }

    private String read() {
        line.reset();
        try {
            for (int b = in.read(); ; b = in.read()) {
                if (b < 0) {
                    ended = true;
                    return line.size() == 0 ? null : text();
                }
                if (b == '\n') {
                    return text();
                }
                if (line.size() >= maxLineBytes) {
                    throw new IOException("the event stream sent a line longer than " + maxLineBytes + " bytes");
                }
                line.write(b);
            }
        } catch (IOException e) {
            ended = true;
            throw new UncheckedIOException(e);
        }
    }

    private String text() {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
