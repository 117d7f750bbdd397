package dev.lockstep.bench.online;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client over one keep-alive socket, for load generation: requests are written
 * as prepared bytes in one write, responses read with {@code Content-Length} or chunked bodies.
 * Far cheaper per request than {@code java.net.http.HttpClient}, which matters when the load
 * generator shares two cores with the server. Not thread-safe: one connection per thread.
 */
final class RawHttpConnection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private byte[] body = new byte[64 * 1024];
  private int bodyLength;

  RawHttpConnection(String host, int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(30_000);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
  }

  /** The bytes of a {@code POST} of {@code content} to {@code path} on {@code host} ({@code host:port}). */
  static byte[] post(String host, String path, String contentType, byte[] content) {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + content.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(content, 0, request, head.length, content.length);
    return request;
  }

  /**
   * Sends {@code request} (from {@link #post}) and reads the whole response.
   *
   * @return the status code; the body is in {@link #body()} until the next call
   */
  int exchange(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    String status = line();
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("Cannot read the response: status line '" + status + "'");
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      }
    }
    bodyLength = 0;
    if (chunked) {
      for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
        readBody(size);
        line();
      }
      line();
    } else if (length > 0) {
      readBody((int) length);
    }
    return code;
  }

  /** The body of the last response. */
  byte[] body() {
    return java.util.Arrays.copyOf(body, bodyLength);
  }

  int bodyLength() {
    return bodyLength;
  }

  private void readBody(int size) throws IOException {
    if (bodyLength + size > body.length) {
      body = java.util.Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + size));
    }
    int read = in.readNBytes(body, bodyLength, size);
    if (read < size) {
      throw new IOException("Cannot read the response: the connection closed in the body");
    }
    bodyLength += size;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int next = in.read();
      if (next < 0) {
        throw new IOException("Cannot read the response: the connection closed");
      }
      if (next == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
      }
      line.append((char) next);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
