// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/*
 * Runs, through RequestSession.commitThrough(), anything the application does that can commit
 * the response, so that Set-Cookie and Cache-Control go out with the headers (Spring Session learned
 * this the hard way: OnCommittedResponseWrapper). Commit points hooked:
 *
 *   - flushBuffer(), sendError(..), sendRedirect(..) (with the Servlet 6.1 overloads, reached by
 *     method handle because this code compiles against 6.0);
 *   - flush() and close() of the stream and the writer;
 *   - a write that may fill the buffer or reach the declared Content-Length. Bytes are counted;
 *     characters of the writer are counted by their UTF-8 length (4 per char for UTF-16/32), which
 *     is never less than what the container encodes for common charsets, so the headers go out
 *     early rather than late.
 *
 * reset() clears the headers, so the cookies are written again at once (and at the next commit
 * point). Cache-Control set by the application becomes no-store once the request has seen an
 * authenticated session (a page that says "public, max-age=600" must not be cached with a user's
 * data in it).
 *
 * The hooks are a net: RequestSession writes its headers when the session changes, so nothing
 * here is the only chance. What the hooks add is ordering: each commit point runs while holding
 * RequestSession's lock (commitThrough), so a commit on one thread waits for a session change under
 * way on another, and a change that starts while a commit is on its way to the container waits for
 * it (and is then refused before it touches the store) instead of ending the old token and losing
 * the new one.
 */

/** Writes the session's headers before the response commits, whatever the application does. */
public final class CommitGuardResponse extends HttpServletResponseWrapper {

  private static final MethodHandle REDIRECT_3 = redirectHandle(String.class, int.class,
      boolean.class);
  private static final MethodHandle REDIRECT_INT = redirectHandle(String.class, int.class);
  private static final MethodHandle REDIRECT_BOOL = redirectHandle(String.class, boolean.class);

  private static final String NO_STORE = "no-store";

  private final RequestSession state;
  private long written;
  private long contentLength = -1;
  private GuardedOutputStream stream;
  private PrintWriter writer;

  public CommitGuardResponse(HttpServletResponse response, RequestSession state) {
    super(response);
    this.state = state;
  }

  // ------------------------------------------------------------------ explicit commit points

  @Override
  public void flushBuffer() throws IOException {
    state.commitThrough(super::flushBuffer);
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    state.commitThrough(() -> super.sendError(sc, msg));
  }

  @Override
  public void sendError(int sc) throws IOException {
    state.commitThrough(() -> super.sendError(sc));
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    state.commitThrough(() -> super.sendRedirect(location));
  }

  /** Servlet 6.1 overload; overrides the wrapper's method when the container provides 6.1. */
  public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
    state.commitThrough(() -> invoke(REDIRECT_3, location, sc, clearBuffer));
  }

  /** Servlet 6.1 overload; overrides the wrapper's method when the container provides 6.1. */
  public void sendRedirect(String location, int sc) throws IOException {
    state.commitThrough(() -> invoke(REDIRECT_INT, location, sc));
  }

  /** Servlet 6.1 overload; overrides the wrapper's method when the container provides 6.1. */
  public void sendRedirect(String location, boolean clearBuffer) throws IOException {
    state.commitThrough(() -> invoke(REDIRECT_BOOL, location, clearBuffer));
  }

  @Override
  public void reset() {
    super.reset();
    written = 0;
    contentLength = -1;
    state.rewriteHeaders();
  }

  @Override
  public void resetBuffer() {
    super.resetBuffer();
    written = 0;
  }

  // ------------------------------------------------------------------ URLs

  /**
   * Returns {@code url} unchanged: a session travels only in its cookie, never in a URL. Without
   * this the container appends {@code ;jsessionid=} of its own session (which a container FORM
   * login keeps) to the URLs of a page that the browser reached without the container's cookie,
   * such as the login form itself (Tomcat).
   */
  @Override
  public String encodeURL(String url) {
    return url;
  }

  /** Returns {@code url} unchanged, as {@link #encodeURL}. */
  @Override
  public String encodeRedirectURL(String url) {
    return url;
  }

  // ------------------------------------------------------------------ Content-Length

  @Override
  public void setContentLength(int len) {
    super.setContentLength(len);
    contentLength = len;
  }

  @Override
  public void setContentLengthLong(long len) {
    super.setContentLengthLong(len);
    contentLength = len;
  }

  @Override
  public void setHeader(String name, String value) {
    super.setHeader(name, isCacheControl(name) && state.noStore() ? NO_STORE : value);
    noteContentLength(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    if (isCacheControl(name) && state.noStore()) {
      super.setHeader(name, NO_STORE); // replaces every value the application adds
      return;
    }
    super.addHeader(name, value);
    noteContentLength(name, value);
  }

  private static boolean isCacheControl(String name) {
    return "Cache-Control".equalsIgnoreCase(name);
  }

  @Override
  public void setIntHeader(String name, int value) {
    super.setIntHeader(name, value);
    noteContentLength(name, Integer.toString(value));
  }

  @Override
  public void addIntHeader(String name, int value) {
    super.addIntHeader(name, value);
    noteContentLength(name, Integer.toString(value));
  }

  private void noteContentLength(String name, String value) {
    if ("Content-Length".equalsIgnoreCase(name)) {
      try {
        contentLength = value == null ? -1 : Long.parseLong(value.strip());
      } catch (NumberFormatException e) {
        contentLength = -1;
      }
    }
  }

  // ------------------------------------------------------------------ body

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    ServletOutputStream delegate = super.getOutputStream();
    if (stream == null || stream.delegate != delegate) {
      stream = new GuardedOutputStream(delegate);
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    PrintWriter delegate = super.getWriter();
    if (writer == null) {
      writer = new PrintWriter(new GuardedWriter(delegate, charsFactor(getCharacterEncoding()))) {
        @Override
        public boolean checkError() {
          return super.checkError() | delegate.checkError();
        }
      };
    }
    return writer;
  }

  /**
   * Counts {@code bytes} more bytes about to be written; returns whether they may fill the buffer
   * or reach the declared length, that is, commit the response.
   */
  private synchronized boolean mayCommit(long bytes) {
    written += bytes;
    int buffer = getBufferSize();
    boolean mayFillBuffer = written >= Math.max(1, buffer);
    boolean reachesLength = contentLength >= 0 && written >= contentLength;
    return mayFillBuffer || reachesLength;
  }


  private static int charsFactor(String encoding) {
    if (encoding == null) {
      return 0;
    }
    return encoding.regionMatches(true, 0, "UTF-16", 0, 6)
        || encoding.regionMatches(true, 0, "UTF-32", 0, 6)
        || encoding.regionMatches(true, 0, "UCS", 0, 3) ? 4 : 0;
  }

  private void invoke(MethodHandle handle, Object... args) throws IOException {
    if (handle == null) {
      throw new UnsupportedOperationException("this container's Servlet API lacks the method");
    }
    try {
      Object[] all = new Object[args.length + 1];
      all[0] = getResponse();
      System.arraycopy(args, 0, all, 1, args.length);
      handle.invokeWithArguments(all);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  private static MethodHandle redirectHandle(Class<?>... params) {
    try {
      return MethodHandles.publicLookup().findVirtual(HttpServletResponse.class, "sendRedirect",
          MethodType.methodType(void.class, params));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null; // a Servlet 6.0 container: nobody can call the overload
    }
  }

  /** The output stream, hooked at every write, flush and close. */
  private final class GuardedOutputStream extends ServletOutputStream {
    private final ServletOutputStream delegate;

    GuardedOutputStream(ServletOutputStream delegate) {
      this.delegate = delegate;
    }

    // Each write that may commit goes through commitThrough; the others go straight on (no
    // lambda allocated on the common path).

    @Override
    public void write(int b) throws IOException {
      if (mayCommit(1)) {
        state.commitThrough(() -> delegate.write(b));
      } else {
        delegate.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (mayCommit(len)) {
        state.commitThrough(() -> delegate.write(b, off, len));
      } else {
        delegate.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      state.commitThrough(delegate::flush);
    }

    @Override
    public void close() throws IOException {
      state.commitThrough(delegate::close);
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      delegate.setWriteListener(listener);
    }
  }

  /** Sits under the application's PrintWriter, so every print path passes here. */
  private final class GuardedWriter extends Writer {
    private final PrintWriter delegate;
    private final int bytesPerChar;

    GuardedWriter(PrintWriter delegate, int bytesPerChar) {
      this.delegate = delegate;
      this.bytesPerChar = bytesPerChar;
    }

    @Override
    public void write(int c) {
      if (mayCommit(bytesPerChar > 0 ? bytesPerChar : utf8Length((char) c))) {
        state.commitThrough(() -> delegate.write(c));
      } else {
        delegate.write(c);
      }
    }

    @Override
    public void write(char[] buf, int off, int len) {
      long bytes = (long) len * bytesPerChar;
      if (bytesPerChar == 0) {
        for (int i = off; i < off + len; i++) {
          bytes += utf8Length(buf[i]);
        }
      }
      if (mayCommit(bytes)) {
        state.commitThrough(() -> delegate.write(buf, off, len));
      } else {
        delegate.write(buf, off, len);
      }
    }

    @Override
    public void write(String s, int off, int len) {
      long bytes = (long) len * bytesPerChar;
      if (bytesPerChar == 0) {
        for (int i = off; i < off + len; i++) {
          bytes += utf8Length(s.charAt(i));
        }
      }
      if (mayCommit(bytes)) {
        state.commitThrough(() -> delegate.write(s, off, len));
      } else {
        delegate.write(s, off, len);
      }
    }

    @Override
    public void flush() {
      state.commitThrough(delegate::flush);
    }

    @Override
    public void close() {
      state.commitThrough(delegate::close);
    }

    private static int utf8Length(char c) {
      return c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
  }
}
