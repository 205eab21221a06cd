package org.virtcaps.core.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails reads past a limit, so that a hostile or runaway stream cannot exhaust memory. */
public final class BoundedInputStream extends FilterInputStream {
    private final long limit;
    private long count;
    private boolean exceeded;

    public BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** Whether a read went past the limit (the read then failed). */
    public boolean exceeded() {
        return exceeded;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            count(skipped);
        }
        return skipped;
    }

    private void count(long n) throws IOException {
        count += n;
        if (count > limit) {
            exceeded = true;
            throw new IOException("document larger than " + limit + " bytes");
        }
    }
}
