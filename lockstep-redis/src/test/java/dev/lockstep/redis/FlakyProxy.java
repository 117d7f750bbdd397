package dev.lockstep.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written TCP proxy in front of the test Redis that can fail on demand, for one test's store
 * only: swallow Redis's replies (the commands still run), cut every connection, or refuse new ones.
 * Two threads per connection copy the bytes.
 */
final class FlakyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> sockets = new ArrayList<>();
  private volatile boolean swallowReplies;
  private volatile boolean refuse;

  /** Listens on a free port of 127.0.0.1 and forwards to {@code targetPort} there. */
  FlakyProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "flaky-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The uri of Redis through this proxy. */
  String uri() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /** While true, Redis's replies are read and dropped: commands run, clients hear nothing. */
  void swallowReplies(boolean swallow) {
    swallowReplies = swallow;
  }

  /** While true, new connections are closed at once. */
  void refuseConnections(boolean refuse) {
    this.refuse = refuse;
  }

  /** Closes every open connection, both sides. */
  synchronized void cutConnections() {
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    sockets.clear();
  }

  @Override
  public void close() {
    closeQuietly(server);
    cutConnections();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (refuse) {
          closeQuietly(client);
          continue;
        }
        Socket redis = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        synchronized (this) {
          sockets.add(client);
          sockets.add(redis);
        }
        pump(client, redis, false);
        pump(redis, client, true);
      } catch (IOException e) {
        // The server socket was closed, or Redis refused: the client sees a closed connection.
      }
    }
  }

  private void pump(Socket from, Socket to, boolean replies) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 << 10];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                  if (!(replies && swallowReplies)) {
                    out.write(buffer, 0, read);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // One side closed: close the other too.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "flaky-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing for a test's failure injection: nothing to do about it.
    }
  }
}
